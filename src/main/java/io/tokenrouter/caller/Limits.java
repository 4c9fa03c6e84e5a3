package io.tokenrouter.caller;

import java.math.BigDecimal;

/**
 * What a key, a user or a namespace may use; null means no limit of that kind there.
 *
 * @param rpm requests per minute
 * @param tpm tokens (input and output) per minute
 * @param maxConcurrency requests in flight at once
 * @param burst requests in any one second
 * @param maxInputTokens largest prompt one request may send (estimated before the call)
 * @param maxOutputTokens largest answer one request may receive
 * @param dailyBudgetUsd spend per UTC day
 * @param monthlyBudgetUsd spend per UTC calendar month
 */
public record Limits(Integer rpm, Integer tpm, Integer maxConcurrency, Integer burst, Integer maxInputTokens,
    Integer maxOutputTokens, BigDecimal dailyBudgetUsd, BigDecimal monthlyBudgetUsd) {
  public static final Limits NONE = new Limits(null, null, null, null, null, null, null, null);

  /** Whether a request must be counted against a shared rate (anything but the per-request caps). */
  public boolean hasRates() {
    return rpm != null || tpm != null || maxConcurrency != null || burst != null;
  }

  public boolean hasBudgets() {
    return dailyBudgetUsd != null || monthlyBudgetUsd != null;
  }

  /** This, with the plan's requests per minute where this sets none. */
  public Limits withDefaultRpm(Integer planRpm) {
    return rpm != null || planRpm == null ? this
        : new Limits(planRpm, tpm, maxConcurrency, burst, maxInputTokens, maxOutputTokens, dailyBudgetUsd,
            monthlyBudgetUsd);
  }

  /** The smaller of two optional caps. */
  public static Integer tighter(Integer a, Integer b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Integer.valueOf(Math.min(a, b));
  }
}
