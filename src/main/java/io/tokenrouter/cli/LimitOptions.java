package io.tokenrouter.cli;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The limit options users and keys share; each left out means "no limit of this kind here" on
 * create and "unchanged" on update. Written into the admin API's fields (seed 004's names).
 */
final class LimitOptions {
  /** The option behind each limit field, to name in the admin API's refusals. */
  static final Map<String, String> FIELD_OPTIONS = Map.of("rpm_limit", "--rpm", "tpm_limit", "--tpm",
      "max_concurrency", "--concurrency", "burst", "--burst", "max_input_tokens", "--max-input-tokens",
      "max_output_tokens", "--max-output-tokens", "daily_budget", "--daily-budget", "monthly_budget",
      "--monthly-budget");

  @Option(names = "--rpm", paramLabel = "N", converter = Converters.Count.class, description = "Requests per minute.")
  Integer rpm;

  @Option(names = "--tpm", paramLabel = "N", converter = Converters.Count.class,
      description = "Tokens (input + output) per minute.")
  Integer tpm;

  @Option(names = "--concurrency", paramLabel = "N", converter = Converters.Count.class,
      description = "Requests in flight at once.")
  Integer concurrency;

  @Option(names = "--burst", paramLabel = "N", converter = Converters.Count.class,
      description = "Requests in any one second.")
  Integer burst;

  @Option(names = "--max-input-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "Largest prompt of one request.")
  Integer maxInputTokens;

  @Option(names = "--max-output-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "Largest answer of one request.")
  Integer maxOutputTokens;

  @Option(names = "--daily-budget", paramLabel = "USD", converter = Converters.Usd.class,
      description = "Spend per UTC day, e.g. 5 or 12.50.")
  BigDecimal dailyBudget;

  @Option(names = "--monthly-budget", paramLabel = "USD", converter = Converters.Usd.class,
      description = "Spend per UTC calendar month.")
  BigDecimal monthlyBudget;

  /** Puts the limits given on the command line into an admin API body. */
  JsonObject into(JsonObject body) {
    put(body, "rpm_limit", rpm);
    put(body, "tpm_limit", tpm);
    put(body, "max_concurrency", concurrency);
    put(body, "burst", burst);
    put(body, "max_input_tokens", maxInputTokens);
    put(body, "max_output_tokens", maxOutputTokens);
    put(body, "daily_budget", dailyBudget);
    put(body, "monthly_budget", monthlyBudget);
    return body;
  }

  private static void put(JsonObject body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** A compact description of an admin API object's limits for listings: "rpm=60 tpm=100000 daily$=5". */
  static String describe(JsonObject o) {
    StringBuilder sb = new StringBuilder();
    append(sb, "rpm", o.getValue("rpm_limit"));
    append(sb, "tpm", o.getValue("tpm_limit"));
    append(sb, "conc", o.getValue("max_concurrency"));
    append(sb, "burst", o.getValue("burst"));
    append(sb, "in", o.getValue("max_input_tokens"));
    append(sb, "out", o.getValue("max_output_tokens"));
    append(sb, "daily$", o.getValue("daily_budget"));
    append(sb, "monthly$", o.getValue("monthly_budget"));
    return sb.isEmpty() ? "-" : sb.toString().trim();
  }

  private static void append(StringBuilder sb, String name, Object value) {
    if (value != null) {
      sb.append(name).append('=').append(value instanceof Number n ? new BigDecimal(n.toString())
          .stripTrailingZeros().toPlainString() : value).append(' ');
    }
  }
}
