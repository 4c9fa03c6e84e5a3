package io.tokenrouter.billing;

import io.tokenrouter.reply.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one request cost, in exact decimals (USD). {@code total} is the sum of the parts times
 * the plan multiplier, rounded once, at the end, to {@link CostCalculator#SCALE} places.
 */
public record Cost(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
    BigDecimal multiplier, BigDecimal total) {
  /**
   * What the prompt cache saved against paying the full input price for every prompt token: the
   * cache reads' discount, less what the cache writes cost above the input price (Anthropic bills
   * a write at 1.25x). Negative when a request wrote more than it read, which is how a cache
   * that is written and never read shows.
   */
  public static BigDecimal savedByCache(Price price, Usage usage, BigDecimal multiplier) {
    BigDecimal reads = price.input().subtract(price.cacheRead())
        .multiply(BigDecimal.valueOf(usage.cacheReadTokens()));
    BigDecimal writes = price.cacheWrite().subtract(price.input())
        .multiply(BigDecimal.valueOf(usage.cacheWriteTokens()));
    return reads.subtract(writes).multiply(multiplier).divide(CostCalculator.MILLION)
        .setScale(CostCalculator.SCALE, RoundingMode.HALF_UP);
  }
}
