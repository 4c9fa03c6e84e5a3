package io.tokenrouter.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Users and their plans, through a running gateway's admin API or directly in its database. */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "Create, list and change users and their plans (also while the gateway runs).")
final class UsersCommand {
  private static final Map<String, String> FIELD_OPTIONS = fieldOptions();

  @Spec
  CommandSpec spec;

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user on a plan.")
  int create(
      @Mixin AdminOptions admin,
      @Option(names = "--email", required = true) String email,
      @Option(names = "--name", description = "Display name (default: the email).") String name,
      @Option(names = "--plan", defaultValue = "free", description = "free, pro, enterprise or a plan of your own"
          + " (default: ${DEFAULT-VALUE}).") String plan,
      @Option(names = "--quota", paramLabel = "TOKENS", converter = Converters.BigCount.class,
          description = "Monthly token quota instead of the plan's.") Long quota,
      @Option(names = "--price-multiplier", paramLabel = "X", converter = Converters.Multiplier.class,
          description = "Multiplier on provider prices instead of the plan's (negotiated pricing).")
      BigDecimal multiplier,
      @Mixin LimitOptions limits) {
    JsonObject body = limits.into(new JsonObject().put("email", email).put("plan", plan));
    if (name != null) {
      body.put("name", name);
    }
    if (quota != null) {
      body.put("monthly_token_quota", quota);
    }
    if (multiplier != null) {
      body.put("price_multiplier", multiplier);
    }
    try (AdminSession session = admin.open(spec)) {
      JsonObject user = session.client(FIELD_OPTIONS).post("/admin/users", body);
      spec.commandLine().getOut().println("id:      " + user.getString("id"));
      spec.commandLine().getOut().println("email:   " + user.getString("email") + " (plan " + user.getString("plan")
          + ")");
      spec.commandLine().getErr().println("created " + session.where());
    }
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  int list(
      @Mixin AdminOptions admin,
      @Option(names = "--plan", description = "Only users on this plan.") String plan,
      @Option(names = "--email", description = "Only users whose email contains this.") String email,
      @Option(names = "--limit", defaultValue = "100", converter = Converters.Count.class,
          description = "At most this many (default: ${DEFAULT-VALUE}).") int limit,
      @Option(names = "--offset", defaultValue = "0", description = "Skip this many first.") int offset) {
    Map<String, String> query = new HashMap<>();
    query.put("plan", plan);
    query.put("email", email);
    query.put("limit", Integer.toString(limit));
    query.put("offset", Integer.toString(offset));
    try (AdminSession session = admin.open(spec)) {
      JsonObject page = session.client(FIELD_OPTIONS).get("/admin/users", query);
      String format = "%-36s  %-28s  %-10s  %-14s  %-6s  %s%n";
      PrintWriter out = spec.commandLine().getOut();
      out.printf(format, "ID", "EMAIL", "PLAN", "QUOTA", "PRICE", "LIMITS");
      for (Object item : page.getJsonArray("data")) {
        JsonObject u = (JsonObject) item;
        Object quota = u.getValue("monthly_token_quota");
        Object price = u.getValue("price_multiplier");
        out.printf(format, u.getString("id"), u.getString("email"), u.getString("plan"),
            quota == null ? "(plan)" : quota, price == null ? "(plan)" : price, LimitOptions.describe(u));
      }
      if (page.getBoolean("has_more")) {
        out.println("(" + page.getLong("total") + " users in all; next page: --offset "
            + page.getInteger("next_offset") + ")");
      }
    }
    return 0;
  }

  @Command(name = "set-plan", mixinStandardHelpOptions = true, description = "Move a user to another plan.")
  int setPlan(@Mixin AdminOptions admin, @Parameters(paramLabel = "EMAIL|ID") String who,
      @Parameters(paramLabel = "PLAN") String plan) {
    return change(admin, who, new JsonObject().put("plan", plan));
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change a user's plan, quota, price multiplier or limits.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "EMAIL|ID") String who,
      @Option(names = "--name", description = "A new display name.") String name,
      @Option(names = "--plan", description = "Another plan.") String plan,
      @Option(names = "--quota", paramLabel = "TOKENS", converter = Converters.BigCount.class,
          description = "Monthly token quota instead of the plan's.") Long quota,
      @Option(names = "--price-multiplier", paramLabel = "X", converter = Converters.Multiplier.class,
          description = "Multiplier on provider prices instead of the plan's.") BigDecimal multiplier,
      @Mixin LimitOptions limits) {
    JsonObject body = limits.into(new JsonObject());
    if (name != null) {
      body.put("name", name);
    }
    if (plan != null) {
      body.put("plan", plan);
    }
    if (quota != null) {
      body.put("monthly_token_quota", quota);
    }
    if (multiplier != null) {
      body.put("price_multiplier", multiplier);
    }
    if (body.isEmpty()) {
      throw new CliException("Nothing to change: give at least one option (see users update --help).", 2);
    }
    return change(admin, who, body);
  }

  private int change(AdminOptions admin, String who, JsonObject body) {
    try (AdminSession session = admin.open(spec)) {
      AdminClient client = session.client(FIELD_OPTIONS);
      JsonObject user = client.get("/admin/users/" + KeysCommand.segment(who), Map.of());
      JsonObject changed = client.patch("/admin/users/" + user.getString("id"), body);
      spec.commandLine().getOut().println(changed.getString("email") + " is now on plan " + changed.getString("plan")
          + " (" + LimitOptions.describe(changed) + ") " + session.where() + KeysCommand.propagation(changed));
    }
    return 0;
  }

  private static Map<String, String> fieldOptions() {
    Map<String, String> m = new HashMap<>(LimitOptions.FIELD_OPTIONS);
    m.putAll(Map.of("email", "--email", "name", "--name", "plan", "--plan", "monthly_token_quota", "--quota",
        "price_multiplier", "--price-multiplier"));
    return Map.copyOf(m);
  }
}
