package io.tokenrouter.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One upstream. api_key is usually written as ${ENV_VAR} so the secret stays out of the file.
 *
 * @param type the provider family's wire format ({@code openai}, {@code anthropic}, {@code mock}...);
 *     the types this build knows are its provider factories'
 * @param responses how Responses API requests reach an {@code openai} provider: {@code native} (its
 *     own {@code /responses}, relayed as they are) or {@code translate} (as chat completions)
 * @param apiVersion the {@code api-version} an {@code azure} provider is called with
 * @param apiKeys several keys of the one provider, instead of {@code apiKey}: load is spread
 *     across them
 * @param maxConnections the size of the pool of connections to this provider: one connection per
 *     request in flight (a stream holds its connection until it ends), so the default is sized
 *     for 10,000 concurrent streams; connections are opened only when needed
 * @param keepAlive whether connections are kept open and reused (HTTP and TCP keep-alive)
 * @param listModels whether the provider's own model list is fetched, offered in
 *     {@code /v1/models} and routed to under its own names
 * @param enabled false takes the provider out of routing (its targets are skipped) without
 *     removing it; the admin API switches it
 * @param maxRetries retries of one of its targets after the first attempt, instead of
 *     {@code routing.retry.per_target} attempts; null keeps the routing section's
 */
public record ProviderConfig(
    String name,
    String type,
    String baseUrl,
    String apiKey,
    Map<String, String> headers,
    Integer maxConnections,
    TimeoutConfig timeouts,
    MockConfig mock,
    String responses,
    String apiVersion,
    List<String> apiKeys,
    Boolean keepAlive,
    Boolean listModels,
    Boolean enabled,
    Integer maxRetries) {

  /** The type of the built-in provider that needs no network. */
  public static final String MOCK = "mock";
  public static final String RESPONSES_NATIVE = "native";
  public static final String RESPONSES_TRANSLATE = "translate";
  private static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  public ProviderConfig {
    type = type == null ? null : type.strip().toLowerCase(Locale.ROOT);
    apiKey = apiKey == null ? "" : apiKey;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
    timeouts = timeouts == null ? new TimeoutConfig(null, null, null, null, null) : timeouts;
    mock = mock == null ? new MockConfig(null) : mock;
    responses = responses == null ? RESPONSES_TRANSLATE : responses.strip().toLowerCase(Locale.ROOT);
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    keepAlive = keepAlive == null || keepAlive;
    listModels = listModels != null && listModels;
    enabled = enabled == null || enabled;
  }

  /** The provider's keys, in order: {@code api_keys}, else {@code api_key}; empty when it needs none. */
  public List<String> keys() {
    if (!apiKeys.isEmpty()) {
      return apiKeys;
    }
    return apiKey.isEmpty() ? List.of() : List.of(apiKey);
  }

  /** Whether Responses API requests go to this provider's own {@code /responses}. */
  public boolean nativeResponses() {
    return RESPONSES_NATIVE.equals(responses);
  }
}
