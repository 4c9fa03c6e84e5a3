package io.tokenrouter.cli;

import io.tokenrouter.store.Database;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Manages users and their plans directly in the configured database. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Create and list users, change plans.")
final class UsersCommand {
  @Spec
  CommandSpec spec;

  /** A user by email or id. */
  static Optional<StoredUser> resolve(Database db, String emailOrId) {
    UserRepository users = new UserRepository(db.dataSource());
    try {
      return users.find(UUID.fromString(emailOrId));
    } catch (IllegalArgumentException notAnId) {
      return users.findByEmail(emailOrId);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user on a plan.")
  int create(
      @Mixin ConfigOption config,
      @Option(names = "--email", required = true) String email,
      @Option(names = "--name", description = "Display name (default: the email).") String name,
      @Option(names = "--plan", defaultValue = "free", description = "free, pro or enterprise (default: ${DEFAULT-VALUE}).")
      String plan,
      @Option(names = "--quota", paramLabel = "TOKENS", description = "Monthly token quota instead of the plan's.")
      Long quota,
      @Option(names = "--price-multiplier", paramLabel = "X",
          description = "Multiplier on provider prices instead of the plan's (negotiated pricing).")
      BigDecimal multiplier,
      @Mixin LimitOptions limits) {
    Limits userLimits = limits.toLimits();
    try (Database db = Database.open(config.load().database())) {
      UserRepository users = new UserRepository(db.dataSource());
      if (users.plan(plan).isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--plan: no plan named " + plan);
      }
      StoredUser user = new StoredUser(UUID.randomUUID(), email, name == null ? email : name, plan, quota, multiplier,
          userLimits, Instant.now());
      users.insert(user);
      spec.commandLine().getOut().println("id:      " + user.id());
      spec.commandLine().getOut().println("email:   " + email + " (plan " + plan + ")");
    }
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  int list(@Mixin ConfigOption config) {
    try (Database db = Database.open(config.load().database())) {
      String format = "%-36s  %-28s  %-10s  %-14s  %-6s  %s%n";
      var out = spec.commandLine().getOut();
      out.printf(format, "ID", "EMAIL", "PLAN", "QUOTA", "PRICE", "LIMITS");
      for (StoredUser u : new UserRepository(db.dataSource()).list()) {
        out.printf(format, u.id(), u.email(), u.plan(), u.quotaLimit() == null ? "(plan)" : u.quotaLimit(),
            u.priceMultiplier() == null ? "(plan)" : u.priceMultiplier().stripTrailingZeros().toPlainString(),
            LimitOptions.describe(u.limits()));
      }
    }
    return 0;
  }

  @Command(name = "set-plan", mixinStandardHelpOptions = true, description = "Move a user to another plan.")
  int setPlan(@Mixin ConfigOption config, @Parameters(paramLabel = "EMAIL|ID") String who,
      @Parameters(paramLabel = "PLAN") String plan) {
    try (Database db = Database.open(config.load().database())) {
      UserRepository users = new UserRepository(db.dataSource());
      if (users.plan(plan).isEmpty()) {
        throw new ParameterException(spec.commandLine(), "no plan named " + plan);
      }
      StoredUser user = resolve(db, who).orElseThrow(() -> new ParameterException(spec.commandLine(), "no user " + who));
      users.setPlan(user.id(), plan);
      spec.commandLine().getOut().println(user.email() + " is now on plan " + plan
          + " (running gateways apply it within auth.cache_ttl)");
    }
    return 0;
  }
}
