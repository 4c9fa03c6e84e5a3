package io.tokenrouter.billing;

import java.math.BigDecimal;

/**
 * What one request cost, in exact decimals (USD). {@code total} is the sum of the parts times
 * the plan multiplier, rounded once, at the end, to {@link CostCalculator#SCALE} places.
 */
public record Cost(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
    BigDecimal multiplier, BigDecimal total) {
  /** What the cache reads saved against paying the full input price for them. */
  public static BigDecimal savedByCache(Price price, int cacheReadTokens, BigDecimal multiplier) {
    return price.input().subtract(price.cacheRead()).multiply(BigDecimal.valueOf(cacheReadTokens))
        .multiply(multiplier).divide(CostCalculator.MILLION).setScale(CostCalculator.SCALE, java.math.RoundingMode.HALF_UP);
  }
}
