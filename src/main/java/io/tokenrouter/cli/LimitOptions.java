package io.tokenrouter.cli;

import io.tokenrouter.caller.Limits;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/** The limit options users and keys share; each left out means "no limit of this kind here". */
final class LimitOptions {
  @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
  Integer rpm;

  @Option(names = "--tpm", paramLabel = "N", description = "Tokens (input + output) per minute.")
  Integer tpm;

  @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once.")
  Integer concurrency;

  @Option(names = "--burst", paramLabel = "N", description = "Requests in any one second.")
  Integer burst;

  @Option(names = "--max-input-tokens", paramLabel = "N", description = "Largest prompt of one request.")
  Integer maxInputTokens;

  @Option(names = "--max-output-tokens", paramLabel = "N", description = "Largest answer of one request.")
  Integer maxOutputTokens;

  @Option(names = "--daily-budget", paramLabel = "USD", description = "Spend per UTC day, e.g. 5.00.")
  BigDecimal dailyBudget;

  @Option(names = "--monthly-budget", paramLabel = "USD", description = "Spend per UTC calendar month.")
  BigDecimal monthlyBudget;

  /** The limits, or an error message naming the first bad option. */
  Limits toLimits() {
    positive("--rpm", rpm);
    positive("--tpm", tpm);
    positive("--concurrency", concurrency);
    positive("--burst", burst);
    positive("--max-input-tokens", maxInputTokens);
    positive("--max-output-tokens", maxOutputTokens);
    positive("--daily-budget", dailyBudget);
    positive("--monthly-budget", monthlyBudget);
    return new Limits(rpm, tpm, concurrency, burst, maxInputTokens, maxOutputTokens, dailyBudget, monthlyBudget);
  }

  private static void positive(String option, Number value) {
    if (value != null && new BigDecimal(value.toString()).signum() <= 0) {
      throw new IllegalArgumentException(option + ": must be positive, was " + value);
    }
  }

  /** A compact description for listings: "rpm=60 tpm=100000 daily=$5". */
  static String describe(Limits l) {
    StringBuilder sb = new StringBuilder();
    append(sb, "rpm", l.rpm());
    append(sb, "tpm", l.tpm());
    append(sb, "conc", l.maxConcurrency());
    append(sb, "burst", l.burst());
    append(sb, "in", l.maxInputTokens());
    append(sb, "out", l.maxOutputTokens());
    append(sb, "daily$", l.dailyBudgetUsd());
    append(sb, "monthly$", l.monthlyBudgetUsd());
    return sb.isEmpty() ? "-" : sb.toString().trim();
  }

  private static void append(StringBuilder sb, String name, Object value) {
    if (value != null) {
      sb.append(name).append('=').append(value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value)
          .append(' ');
    }
  }
}
