package io.tokenrouter.config;

import java.time.Duration;

/** How long a looked-up key stays cached: a revoked key is refused at most this long after. */
public record AuthConfig(Duration cacheTtl, Integer cacheSize) {
  public AuthConfig {
    cacheTtl = cacheTtl == null ? Duration.ofSeconds(5) : cacheTtl;
    cacheSize = cacheSize == null ? 10_000 : cacheSize;
  }
}
