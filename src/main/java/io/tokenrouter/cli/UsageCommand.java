package io.tokenrouter.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Usage and cost per key (or user, project, model, provider, day), from the admin API's report. */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = "Requests, tokens, cost, cache hit rate and money saved, per key or another grouping.")
final class UsageCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  AdminOptions admin;

  @Option(names = "--by", defaultValue = "key", paramLabel = "GROUPS",
      description = "key, user, project, model, provider, day, comma-separated (default: ${DEFAULT-VALUE}).")
  String by;

  @Option(names = "--from", converter = Converters.Day.class, paramLabel = "DATE",
      description = "First UTC day (default: 29 days before --to).")
  LocalDate from;

  @Option(names = "--to", converter = Converters.Day.class, paramLabel = "DATE",
      description = "Last UTC day (default: today).")
  LocalDate to;

  @Option(names = "--key", paramLabel = "ID", description = "Only this key.") String key;

  @Option(names = "--user", paramLabel = "EMAIL|ID", description = "Only this user's keys.") String user;

  @Option(names = "--project", description = "Only this project.") String project;

  @Option(names = "--model", description = "Only this provider model.") String model;

  @Option(names = "--provider", description = "Only this provider.") String provider;

  @Option(names = "--csv", description = "Print CSV (every group) instead of a table.") boolean csv;

  @Option(names = "--limit", defaultValue = "100", converter = Converters.Count.class,
      description = "At most this many groups in the table (default: ${DEFAULT-VALUE}).") int limit;

  @Override
  public Integer call() {
    Map<String, String> query = new HashMap<>();
    query.put("group_by", by);
    query.put("from", from == null ? null : from.toString());
    query.put("to", to == null ? null : to.toString());
    query.put("key_id", key);
    query.put("user", user);
    query.put("project_id", project);
    query.put("model", model);
    query.put("provider", provider);
    PrintWriter out = spec.commandLine().getOut();
    try (AdminSession session = admin.open(spec)) {
      AdminClient client = session.client(Map.of("group_by", "--by", "key_id", "--key", "project_id", "--project"));
      if (csv) {
        out.print(client.getCsv("/admin/usage", query));
        return 0;
      }
      query.put("limit", Integer.toString(limit));
      JsonObject report = client.get("/admin/usage", query);
      List<String> groups = new ArrayList<>();
      report.getJsonArray("group_by").forEach(g -> groups.add(String.valueOf(g)));
      out.println("usage " + report.getString("from") + " .. " + report.getString("to") + " (UTC days)");
      List<String> header = new ArrayList<>(groups.stream().map(g -> g.toUpperCase(Locale.ROOT)).toList());
      header.addAll(List.of("REQUESTS", "TOKENS", "COST_USD", "CACHE_HIT", "SAVED_USD"));
      List<List<String>> rows = new ArrayList<>();
      rows.add(header);
      JsonArray data = report.getJsonArray("data");
      for (Object item : data) {
        rows.add(row((JsonObject) item, groups));
      }
      List<String> totals = row(report.getJsonObject("totals"), List.of());
      List<String> total = new ArrayList<>();
      for (int i = 0; i < groups.size(); i++) {
        total.add(i == 0 ? "TOTAL" : "");
      }
      total.addAll(totals);
      rows.add(total);
      print(out, rows);
      if (report.getBoolean("has_more")) {
        out.println("(" + report.getLong("total") + " groups in all; --csv prints every one)");
      }
    }
    return 0;
  }

  private static List<String> row(JsonObject r, List<String> groups) {
    List<String> cells = new ArrayList<>();
    for (String g : groups) {
      cells.add(switch (g) {
        case "key" -> name(r.getString("key_name"), r.getString("key_id"));
        case "user" -> name(r.getString("user_email"), r.getString("user_id"));
        case "project" -> orDash(r.getString("project_id"));
        default -> orDash(String.valueOf(r.getValue(g)));
      });
    }
    cells.add(String.valueOf(r.getValue("requests")));
    cells.add(String.valueOf(r.getValue("total_tokens")));
    cells.add(new BigDecimal(String.valueOf(r.getValue("cost_usd"))).setScale(4, RoundingMode.HALF_EVEN)
        .toPlainString());
    cells.add(new BigDecimal(String.valueOf(r.getValue("cache_hit_rate"))).movePointRight(2)
        .setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%");
    cells.add(new BigDecimal(String.valueOf(r.getValue("saved_usd"))).setScale(4, RoundingMode.HALF_EVEN)
        .toPlainString());
    return cells;
  }

  private static String name(String name, String id) {
    return id == null ? "(none)" : (name == null ? "" : name + " ") + id;
  }

  private static String orDash(String s) {
    return s == null || "null".equals(s) ? "-" : s;
  }

  /** Columns as wide as their widest cell. */
  private static void print(PrintWriter out, List<List<String>> rows) {
    int columns = rows.getFirst().size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(String.format("%-" + width[i] + "s", row.get(i)));
        if (i < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
