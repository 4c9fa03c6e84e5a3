package io.tokenrouter.config;

import java.time.Duration;

/**
 * How looked-up keys are cached.
 *
 * @param cacheTtl how long a looked-up key is trusted before it is looked up again (in the
 *     background, while the cached answer keeps serving): a revoked key is refused at most about
 *     this long after, or at once when the revocation is announced over Redis
 * @param staleFor how long a known key keeps working from its last good lookup while the
 *     database cannot be reached; after that its requests get 503 until the database is back
 * @param lookupTimeout the longest a request waits for a key that is not cached yet; past it the
 *     request gets 503 {@code auth_unavailable} (the lookup finishes in the background)
 */
public record AuthConfig(Duration cacheTtl, Integer cacheSize, Duration staleFor, Duration lookupTimeout) {
  public AuthConfig {
    cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
    cacheSize = cacheSize == null ? 10_000 : cacheSize;
    staleFor = staleFor == null ? Duration.ofHours(1) : staleFor;
    lookupTimeout = lookupTimeout == null ? Duration.ofSeconds(1) : lookupTimeout;
  }
}
