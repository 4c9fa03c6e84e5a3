package io.tokenrouter.config;

import java.time.Duration;

/**
 * The usage recorder's bounds. queue_capacity counts requests in flight plus records not yet
 * written; when it is exhausted new requests get 503 instead of a record being dropped. A slot
 * costs no memory until its record is queued, so the default leaves room for 10,000 open streams
 * and the records of the requests that ended while the last batch was written.
 *
 * @param spoolDir where records that the database refused wait, on disk, until it is back; one
 *     gateway process per directory (it is locked while in use)
 */
public record UsageConfig(Integer queueCapacity, Integer batchSize, Duration flushInterval, String spoolDir) {
  public static final String DEFAULT_SPOOL_DIR = "./data/spool";
  private static final int DEFAULT_QUEUE_CAPACITY = 20_000;

  public UsageConfig {
    queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
    batchSize = batchSize == null ? 200 : batchSize;
    flushInterval = flushInterval == null ? Duration.ofMillis(200) : flushInterval;
    spoolDir = spoolDir == null || spoolDir.isBlank() ? DEFAULT_SPOOL_DIR : spoolDir;
  }

  public UsageConfig withSpoolDir(String dir) {
    return new UsageConfig(queueCapacity, batchSize, flushInterval, dir);
  }
}
