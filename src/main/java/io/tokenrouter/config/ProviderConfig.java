package io.tokenrouter.config;

import java.util.Map;

/**
 * One upstream. api_key is usually written as ${ENV_VAR} so the secret stays out of the file.
 *
 * @param type the provider family's wire format ({@code openai}, {@code anthropic}, {@code mock}...);
 *     the types this build knows are its provider factories'
 */
public record ProviderConfig(
    String name,
    String type,
    String baseUrl,
    String apiKey,
    Map<String, String> headers,
    Integer maxConnections,
    TimeoutConfig timeouts,
    MockConfig mock) {

  /** The type of the built-in provider that needs no network. */
  public static final String MOCK = "mock";

  public ProviderConfig {
    type = type == null ? null : type.strip().toLowerCase(java.util.Locale.ROOT);
    apiKey = apiKey == null ? "" : apiKey;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    maxConnections = maxConnections == null ? 256 : maxConnections;
    timeouts = timeouts == null ? new TimeoutConfig(null, null, null, null) : timeouts;
    mock = mock == null ? new MockConfig(null) : mock;
  }
}
