package io.tokenrouter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;

/**
 * How keys are checked. {@code local}: against the api_keys table, a looked-up key cached for
 * {@code cache_ttl} (a revoked key is refused at most this long after). {@code remote}: against
 * an external token authority at {@code introspection_url} (seed 001), each answer cached by its
 * status (active 30 s, expired 2 m, revoked 10 m); {@code cache_size} bounds either cache.
 *
 * @param introspectionToken sent as a bearer token to the authority, when set
 * @param introspectionTimeout the longest a request waits on the authority before it is answered
 *     503 auth_unavailable
 */
public record AuthConfig(Duration cacheTtl, Integer cacheSize, Mode mode, String introspectionUrl,
    String introspectionToken, Duration introspectionTimeout) {
  public AuthConfig {
    cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
    cacheSize = cacheSize == null ? 10_000 : cacheSize;
    mode = mode == null ? Mode.LOCAL : mode;
    introspectionTimeout = introspectionTimeout == null ? Duration.ofSeconds(2) : introspectionTimeout;
  }

  /** Where keys are checked. */
  public enum Mode {
    LOCAL, REMOTE;

    @JsonCreator
    public static Mode parse(String value) {
      return Choices.parse(Mode.class, value);
    }
  }
}
