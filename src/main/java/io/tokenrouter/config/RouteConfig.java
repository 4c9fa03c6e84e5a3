package io.tokenrouter.config;

import java.util.Locale;

/**
 * A custom route (seed 003): requests under a path prefix are relayed to a provider as they are,
 * with the provider's credential put in place of the client's key, under the same keys, limits
 * and usage records as the model APIs.
 *
 * @param name the route's name; key and namespace allowlists name it as they name models
 * @param path the path prefix the gateway serves ({@code /v1/audio/speech})
 * @param provider the configured provider relayed to (its base URL, credential and timeouts)
 * @param upstreamPath what replaces {@code path} on the provider, after its base URL; {@code path}
 *     itself when not set
 * @param kind how the answer flows back: {@code sse} (event by event), {@code json} (one document,
 *     read for a {@code usage} object) or {@code binary} (bytes as they come, audio say)
 * @param credentialHeader the header that carries the provider's key; when not set, the provider
 *     type's own ({@code Authorization: Bearer} for openai, {@code x-api-key} for anthropic...)
 */
public record RouteConfig(String name, String path, String provider, String upstreamPath, String kind,
    String credentialHeader) {
  public static final String SSE = "sse";
  public static final String JSON = "json";
  public static final String BINARY = "binary";

  public RouteConfig {
    kind = kind == null ? BINARY : kind.strip().toLowerCase(Locale.ROOT);
    upstreamPath = upstreamPath == null || upstreamPath.isBlank() ? path : upstreamPath;
  }
}
