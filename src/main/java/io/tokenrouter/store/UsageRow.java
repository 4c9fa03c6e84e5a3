package io.tokenrouter.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

/**
 * Usage summed over one group of a report; the group's fields are null where the report does
 * not group by them.
 *
 * @param day the UTC day's start
 * @param promptTokens all input tokens, cache reads and writes included
 * @param savedUsd what cache reads saved against the input price
 */
public record UsageRow(Instant day, UUID keyId, String keyName, UUID userId, String userEmail, String project,
    String model, String provider, long requests, long promptTokens, long completionTokens, long cacheReadTokens,
    long cacheWriteTokens, BigDecimal costUsd, BigDecimal savedUsd) {

  /**
   * cache_read / (input + cache_read + cache_write), as users of gateways expect it; the prompt
   * count already includes both cache kinds. Zero when nothing was sent.
   */
  public BigDecimal cacheHitRate() {
    return promptTokens == 0 ? BigDecimal.ZERO
        : BigDecimal.valueOf(cacheReadTokens).divide(BigDecimal.valueOf(promptTokens), 4, RoundingMode.HALF_EVEN);
  }
}
