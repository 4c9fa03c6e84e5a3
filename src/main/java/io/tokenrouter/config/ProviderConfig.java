package io.tokenrouter.config;

import java.util.Map;

/** One upstream. api_key is usually written as ${ENV_VAR} so the secret stays out of the file. */
public record ProviderConfig(
    String name,
    ProviderType type,
    String baseUrl,
    String apiKey,
    Map<String, String> headers,
    Integer maxConnections,
    TimeoutConfig timeouts,
    MockConfig mock) {

  public ProviderConfig {
    apiKey = apiKey == null ? "" : apiKey;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    maxConnections = maxConnections == null ? 256 : maxConnections;
    timeouts = timeouts == null ? new TimeoutConfig(null, null, null, null) : timeouts;
    mock = mock == null ? new MockConfig(null) : mock;
  }
}
