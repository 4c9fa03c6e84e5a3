package io.tokenrouter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;

/**
 * Redis, for what several instances must share: rate and concurrency counters and the events
 * that keep their caches in step. Without a url every counter is in-process (one instance).
 *
 * @param failMode what limits do while Redis cannot be reached: let requests through (open,
 *     the default) or refuse them with 503 (closed)
 * @param timeout the longest a request waits on Redis before {@code failMode} applies
 */
public record RedisConfig(String url, FailMode failMode, Duration timeout, Integer poolSize) {
  public RedisConfig {
    failMode = failMode == null ? FailMode.OPEN : failMode;
    timeout = timeout == null ? Duration.ofMillis(250) : timeout;
    poolSize = poolSize == null ? 16 : poolSize;
  }

  public boolean enabled() {
    return url != null && !url.isBlank();
  }

  /** Behaviour of limits while Redis is unreachable. */
  public enum FailMode {
    OPEN, CLOSED;

    @JsonCreator
    public static FailMode parse(String value) {
      return Choices.parse(FailMode.class, value);
    }
  }
}
