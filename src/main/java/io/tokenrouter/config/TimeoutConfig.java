package io.tokenrouter.config;

import java.time.Duration;

/**
 * Per-provider timeouts. first_byte bounds the wait for the response head, idle the gap between
 * two stream events (or body chunks), total the whole exchange, pool_idle how long a pooled
 * connection may sit unused before it is closed.
 */
public record TimeoutConfig(Duration connect, Duration firstByte, Duration idle, Duration total, Duration poolIdle) {
  public TimeoutConfig {
    connect = connect == null ? Duration.ofSeconds(5) : connect;
    firstByte = firstByte == null ? Duration.ofSeconds(60) : firstByte;
    idle = idle == null ? Duration.ofSeconds(60) : idle;
    total = total == null ? Duration.ofMinutes(10) : total;
    poolIdle = poolIdle == null ? Duration.ofSeconds(60) : poolIdle;
  }
}
