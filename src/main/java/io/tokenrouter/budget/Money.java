package io.tokenrouter.budget;

import io.tokenrouter.billing.CostCalculator;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * USD as whole units of 10^-10 for the counters, which hold integers. That is the cost
 * calculator's own scale, so a cost converts without rounding; a long holds 900 million USD.
 */
final class Money {
  private Money() {}

  static long units(BigDecimal usd) {
    return usd.setScale(CostCalculator.SCALE, RoundingMode.UP).unscaledValue().longValueExact();
  }

  static String format(BigDecimal usd) {
    return "$" + usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
