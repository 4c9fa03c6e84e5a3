package io.tokenrouter.config;

import java.time.Duration;

/** Settings of the built-in mock provider. */
public record MockConfig(Duration chunkDelay) {
  public MockConfig {
    chunkDelay = chunkDelay == null ? Duration.ofMillis(20) : chunkDelay;
  }
}
