package io.tokenrouter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;

/**
 * How keys are checked. {@code local}: against the api_keys table through a cache.
 * {@code remote}: against an external token authority at {@code introspection_url} (seed 001),
 * each answer cached by its status (active 30 s, expired 2 m, revoked 10 m); {@code cache_size}
 * bounds either cache.
 *
 * @param cacheTtl how long a looked-up key is trusted before it is looked up again (in the
 *     background, while the cached answer keeps serving): a revoked key is refused at most about
 *     this long after, or at once when the revocation is announced over Redis
 * @param staleFor how long a known key keeps working from its last good lookup while the
 *     database cannot be reached; after that its requests get 503 until the database is back
 * @param lookupTimeout the longest a request waits for a key that is not cached yet; past it the
 *     request gets 503 {@code auth_unavailable} (the lookup finishes in the background)
 * @param introspectionToken sent as a bearer token to the authority, when set
 * @param introspectionTimeout the longest a request waits on the authority before it is answered
 *     503 auth_unavailable
 */
public record AuthConfig(Duration cacheTtl, Integer cacheSize, Duration staleFor, Duration lookupTimeout, Mode mode,
    String introspectionUrl, String introspectionToken, Duration introspectionTimeout) {
  public AuthConfig {
    cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
    cacheSize = cacheSize == null ? 10_000 : cacheSize;
    staleFor = staleFor == null ? Duration.ofHours(1) : staleFor;
    lookupTimeout = lookupTimeout == null ? Duration.ofSeconds(1) : lookupTimeout;
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
