package io.tokenrouter.billing;

import io.tokenrouter.reply.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices a request's usage. Providers count cached input inside the prompt total (OpenAI's
 * definition, which {@link Usage} follows), so the uncached input is the prompt minus cache
 * reads and cache writes; each part is billed at its own price.
 */
public final class CostCalculator {
  /** Decimal places kept: sub-micro-dollar requests (a few cheap tokens) must not round to zero. */
  public static final int SCALE = 10;
  static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private CostCalculator() {}

  public static Cost cost(Price price, Usage usage, BigDecimal multiplier) {
    int uncached = Math.max(0, usage.promptTokens() - usage.cacheReadTokens() - usage.cacheWriteTokens());
    BigDecimal input = part(price.input(), uncached);
    BigDecimal output = part(price.output(), usage.completionTokens());
    BigDecimal cacheRead = part(price.cacheRead(), usage.cacheReadTokens());
    BigDecimal cacheWrite = part(price.cacheWrite(), usage.cacheWriteTokens());
    BigDecimal total = input.add(output).add(cacheRead).add(cacheWrite).multiply(multiplier)
        .setScale(SCALE, RoundingMode.HALF_UP);
    return new Cost(input, output, cacheRead, cacheWrite, multiplier, total);
  }

  /** Exact: a price per million times a token count divided by a million never needs rounding. */
  private static BigDecimal part(BigDecimal perMillion, int tokens) {
    return perMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION);
  }
}
