package io.tokenrouter.cli;

import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.cluster.LocalClusterEvents;
import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.cluster.RedisClusterEvents;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin API served by the command line itself, on the loopback interface and a random port
 * with a one-time token, over the configured database: when no gateway serves it, commands work
 * on the database directly through the very same code (validation, audit rows, events), instead
 * of a second implementation. Changes are announced through Redis when it is configured, so
 * gateways elsewhere drop changed keys at once.
 */
final class LocalAdmin implements AutoCloseable {
  private static final Duration EMBEDDED_WAIT = Duration.ofSeconds(1);
  private final Database database;
  private final Vertx vertx;
  private final AdminClient client;

  private LocalAdmin(Database database, Vertx vertx, AdminClient client) {
    this.database = database;
    this.vertx = vertx;
    this.client = client;
  }

  /**
   * @throws CliException naming the real cause when the database cannot be opened (locked by a
   *     running gateway, unreachable, refusing the credentials)
   */
  static LocalAdmin open(GatewayConfig config, String actor) {
    Database database;
    try {
      database = Database.open(quick(config.database()));
    } catch (ConfigException e) {
      throw new CliException(whyNotOpened(config, String.join("; ", e.problems())));
    }
    Vertx vertx = Vertx.vertx();
    try {
      ClusterEvents events;
      if (config.redis().enabled()) {
        Redis redis = RedisClients.create(vertx, config.redis());
        events = new RedisClusterEvents(vertx, redis, redis);
      } else {
        events = new LocalClusterEvents();
      }
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      String token = HexFormat.of().formatHex(secret);
      Router router = Router.router(vertx);
      new AdminRoutes(token, actor, database.dataSource(), events, config, Clock.systemUTC()).mount(router);
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .await(10, TimeUnit.SECONDS);
      return new LocalAdmin(database, vertx, new AdminClient("http://127.0.0.1:" + server.actualPort(), token,
          Map.of()));
    } catch (Exception e) {
      vertx.close();
      database.close();
      throw new CliException("Cannot serve the admin API to this command: " + e.getMessage());
    }
  }

  /**
   * An embedded database locked by a running gateway stays locked: waiting the full connection
   * timeout for it would only delay the answer.
   */
  private static DatabaseConfig quick(DatabaseConfig db) {
    return db.embedded() && db.connectionTimeout().compareTo(EMBEDDED_WAIT) > 0
        ? new DatabaseConfig(db.url(), db.username(), db.password(), db.poolSize(), EMBEDDED_WAIT) : db;
  }

  /** The database's own words turned into the cause a person can act on. */
  static String whyNotOpened(GatewayConfig config, String problem) {
    String lower = problem.toLowerCase(Locale.ROOT);
    if (lower.contains("already in use") || lower.contains("file is locked")) {
      return "The database file " + config.database().h2File().map(f -> f + ".mv.db").orElse(config.database().url())
          + " is in use by another process (a running gateway holds it; the embedded database allows one)";
    }
    String url = config.database().maskedUrl();
    if (lower.contains("password authentication failed") || lower.contains("wrong user name or password")) {
      return "The database at " + url + " refused the user name or password (database.username, database.password)";
    }
    if (lower.contains("connection refused") || lower.contains("connection to") || lower.contains("unknownhost")
        || lower.contains("timed out") || lower.contains("timeout")) {
      return "The database at " + url + " cannot be reached: " + problem.replaceFirst("^database\\.url: ", "");
    }
    return "The database at " + url + " cannot be opened: " + problem.replaceFirst("^database\\.url: ", "");
  }

  AdminClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the command's work is done; a slow Vert.x shutdown must not fail it
    }
    database.close();
  }
}
