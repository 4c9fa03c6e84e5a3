package io.tokenrouter.config;

import java.time.Duration;

/**
 * The usage recorder's bounds. queue_capacity counts requests in flight plus records not yet
 * written; when it is exhausted new requests get 503 instead of a record being dropped.
 */
public record UsageConfig(Integer queueCapacity, Integer batchSize, Duration flushInterval) {
  public UsageConfig {
    queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
    batchSize = batchSize == null ? 200 : batchSize;
    flushInterval = flushInterval == null ? Duration.ofMillis(200) : flushInterval;
  }
}
