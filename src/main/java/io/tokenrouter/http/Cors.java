package io.tokenrouter.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for the browser pages listed in {@code server.cors_origins} (a web console,
 * a browser app): preflights answered, the headers SDKs send allowed, the rate-limit and request-id
 * headers exposed. "*" (dev mode only) allows every origin, without credentials.
 */
final class Cors {
  private Cors() {}

  static CorsHandler handler(List<String> origins) {
    CorsHandler cors = origins.contains("*") ? CorsHandler.create() : CorsHandler.create().addOrigins(origins);
    return cors
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE,
            HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Request-Id", "x-api-key", "anthropic-version",
            "anthropic-beta", "OpenAI-Organization", "OpenAI-Project"))
        .exposedHeaders(Set.of("X-Request-Id", "Retry-After", "x-ratelimit-limit-requests",
            "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"))
        .maxAgeSeconds(600);
  }
}
