package io.tokenrouter.cli;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.cluster.RedisClusterEvents;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.caller.Limits;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Manages virtual keys directly in the configured database. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke virtual keys.")
final class KeysCommand {
  @Spec
  CommandSpec spec;

  record Created(StoredKey stored, String rawKey) {}

  static Created create(Database db, String name, List<String> models, Instant expiresAt, UUID userId,
      String project, Limits limits) {
    String raw = ApiKeys.generate();
    StoredKey key = new StoredKey(UUID.randomUUID(), name, ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), models,
        false, expiresAt, Instant.now(), userId, project, limits);
    new ApiKeyRepository(db.dataSource()).insert(key);
    return new Created(key, raw);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print it once.")
  int create(
      @Mixin ConfigOption config,
      @Option(names = "--name", required = true, description = "A name to recognise the key by.") String name,
      @Option(names = "--user", paramLabel = "EMAIL|ID",
          description = "The user the key belongs to: its plan, quota and user limits apply.") String user,
      @Option(names = "--project", description = "A project label for reports and namespace policies.") String project,
      @Option(names = "--models", split = ",", paramLabel = "PATTERN",
          description = "Models the key may use, comma-separated globs like gpt-4o* (default: all).") List<String> models,
      @Option(names = "--expires", paramLabel = "DATE",
          description = "Expiry, as 2027-01-31 (end of that day, UTC) or an ISO instant.") String expires,
      @Mixin LimitOptions limits) {
    Instant expiresAt = expires == null ? null : parseExpiry(expires);
    Limits narrowed = limits.toLimits();
    try (Database db = Database.open(config.load().database())) {
      UUID userId = user == null ? null : UsersCommand.resolve(db, user)
          .orElseThrow(() -> new ParameterException(spec.commandLine(), "--user: no user " + user)).id();
      Created created = create(db, name, models == null ? List.of() : models, expiresAt, userId, project, narrowed);
      var out = spec.commandLine().getOut();
      out.println("id:      " + created.stored().id());
      out.println("name:    " + name);
      if (userId != null) {
        out.println("user:    " + userId);
      }
      out.println("limits:  " + LimitOptions.describe(narrowed));
      out.println("key:     " + created.rawKey());
      out.println("(the key is shown only now; the gateway stores its SHA-256 hash)");
    }
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
  int list(@Mixin ConfigOption config) {
    try (Database db = Database.open(config.load().database())) {
      var out = spec.commandLine().getOut();
      String format = "%-36s  %-16s  %-12s  %-8s  %-20s  %-16s  %-24s  %s%n";
      out.printf(format, "ID", "NAME", "PREFIX", "STATE", "EXPIRES", "PROJECT", "LIMITS", "MODELS");
      for (StoredKey k : new ApiKeyRepository(db.dataSource()).list()) {
        String state = k.revoked() ? "revoked" : k.expiresAt() != null && k.expiresAt().isBefore(Instant.now())
            ? "expired" : "active";
        out.printf(format, k.id(), k.name(), k.keyPrefix() + "...", state,
            k.expiresAt() == null ? "-" : k.expiresAt().toString(), k.project() == null ? "-" : k.project(),
            LimitOptions.describe(k.limits()), k.models().isEmpty() ? "*" : String.join(",", k.models()));
      }
    }
    return 0;
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id.")
  int revoke(@Mixin ConfigOption config, @Parameters(paramLabel = "ID", description = "The key's id, as `keys list` shows it.") String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "not a key id: " + id);
    }
    GatewayConfig loaded = config.load();
    try (Database db = Database.open(loaded.database())) {
      Optional<String> hash = new ApiKeyRepository(db.dataSource()).revoke(uuid);
      if (hash.isEmpty()) {
        spec.commandLine().getErr().println("no key with id " + id);
        return 1;
      }
      if (loaded.redis().enabled() && announce(loaded.redis(), hash.get())) {
        spec.commandLine().getOut().println("revoked " + id + " (announced: running gateways refuse it now)");
      } else {
        spec.commandLine().getOut().println("revoked " + id + " (running gateways refuse it within auth.cache_ttl)");
      }
    }
    return 0;
  }

  /** Tells running gateways through Redis; false when Redis could not be reached in time. */
  private static boolean announce(RedisConfig redis, String keyHash) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis client = RedisClients.create(vertx, redis);
      new RedisClusterEvents(vertx, client, client).publish(new ClusterEvent.KeyChanged(keyHash))
          .await(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    } finally {
      vertx.close();
    }
  }

  private Instant parseExpiry(String text) {
    try {
      return LocalDate.parse(text).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        throw new ParameterException(spec.commandLine(), "--expires: expected 2027-01-31 or an ISO instant, was " + text);
      }
    }
  }
}
