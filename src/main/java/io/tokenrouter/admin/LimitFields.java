package io.tokenrouter.admin;

import io.tokenrouter.caller.Limits;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The limit fields keys and users share, named as in seed 004 ({@code rpm_limit},
 * {@code daily_budget}, ...). On a change only the fields present are touched; null clears one.
 */
final class LimitFields {
  static final List<String> NAMES = List.of("rpm_limit", "tpm_limit", "max_concurrency", "burst",
      "max_input_tokens", "max_output_tokens", "daily_budget", "monthly_budget");

  private LimitFields() {}

  /** {@code names} and the limit fields: what a key's or a user's body may hold. */
  static Set<String> with(String... names) {
    Set<String> all = new HashSet<>(List.of(names));
    all.addAll(NAMES);
    return Set.copyOf(all);
  }

  static Limits read(Input in) {
    return patch(Limits.NONE, in);
  }

  static Limits patch(Limits l, Input in) {
    return new Limits(
        in.has("rpm_limit") ? in.positiveInt("rpm_limit") : l.rpm(),
        in.has("tpm_limit") ? in.positiveInt("tpm_limit") : l.tpm(),
        in.has("max_concurrency") ? in.positiveInt("max_concurrency") : l.maxConcurrency(),
        in.has("burst") ? in.positiveInt("burst") : l.burst(),
        in.has("max_input_tokens") ? in.positiveInt("max_input_tokens") : l.maxInputTokens(),
        in.has("max_output_tokens") ? in.positiveInt("max_output_tokens") : l.maxOutputTokens(),
        in.has("daily_budget") ? in.usd("daily_budget") : l.dailyBudgetUsd(),
        in.has("monthly_budget") ? in.usd("monthly_budget") : l.monthlyBudgetUsd());
  }

  static JsonObject write(JsonObject out, Limits l) {
    return out.put("rpm_limit", l.rpm()).put("tpm_limit", l.tpm()).put("max_concurrency", l.maxConcurrency())
        .put("burst", l.burst()).put("max_input_tokens", l.maxInputTokens())
        .put("max_output_tokens", l.maxOutputTokens()).put("daily_budget", plain(l.dailyBudgetUsd()))
        .put("monthly_budget", plain(l.monthlyBudgetUsd()));
  }

  /** 5.000000 from the database as 5, and never in exponent form (5E+1). */
  static BigDecimal plain(BigDecimal d) {
    return d == null ? null : new BigDecimal(d.stripTrailingZeros().toPlainString());
  }
}
