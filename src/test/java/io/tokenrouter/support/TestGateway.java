package io.tokenrouter.support;

import io.tokenrouter.Gateway;
import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserRepository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real gateway on a random port with a private in-memory H2 database, started from YAML the
 * test writes (the same loader production uses). {@code database}, {@code server.port},
 * {@code usage.spool_dir} (a fresh temporary directory, removed on close) and {@code mode: dev}
 * (tests need no admin token even on PostgreSQL) are filled in unless the YAML sets them.
 */
public final class TestGateway implements AutoCloseable {
  private final Gateway gateway;
  private final Path spoolDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(Gateway gateway, Path spoolDir) {
    this.gateway = gateway;
    this.spoolDir = spoolDir;
  }

  public static TestGateway start(String yaml) {
    return start(yaml, Map.of());
  }

  public static TestGateway start(String yaml, Map<String, String> env) {
    if (!yaml.matches("(?s)(.*\\n)?mode:.*")) {
      yaml = "mode: dev\n" + yaml;
    }
    GatewayConfig config = new ConfigLoader(env).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    return start(config, yaml, null, env);
  }

  /** Started from a file, which it reloads while it runs (as {@code serve --config FILE} does). */
  public static TestGateway startFromFile(Path file, Map<String, String> env) {
    try {
      return start(new ConfigLoader(env).load(file), Files.readString(file), file, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestGateway start(GatewayConfig config, String yaml, Path file, Map<String, String> env) {
    if (!yaml.contains("database:")) {
      config = config.withDatabase(new io.tokenrouter.config.DatabaseConfig(
          "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null, 4));
    }
    if (!yaml.contains("port:")) {
      config = config.withServer(config.server().withPort(0));
    }
    Path spoolDir = null;
    if (!yaml.contains("spool_dir:")) {
      try {
        spoolDir = Files.createTempDirectory("tokenrouter-spool");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      config = config.withUsage(config.usage().withSpoolDir(spoolDir.toString()));
    }
    return new TestGateway(Gateway.start(config, file, env), spoolDir);
  }

  public Gateway gateway() {
    return gateway;
  }

  public int port() {
    return gateway.port();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** Creates a key allowed to use {@code models} (all when empty) and returns the raw key. */
  public String createKey(String... models) {
    return createKey(null, models);
  }

  public String createKey(Instant expiresAt, String... models) {
    return insertKey(expiresAt, List.of(models), null, Limits.NONE);
  }

  /** A key limited to {@code rpm} requests per minute (and {@code maxConcurrency} at once, when set). */
  public String createKeyWithLimits(Integer rpm, Integer maxConcurrency) {
    return insertKey(null, List.of(), null, new Limits(rpm, null, maxConcurrency, null, null, null, null, null));
  }

  /** A key of {@code userId} (null: of nobody) narrowed to {@code limits}. */
  public String createKey(UUID userId, Limits limits, String... models) {
    return insertKey(null, List.of(models), userId, limits);
  }

  /** A user on {@code plan}, with a quota and limits overriding the plan's where not null. */
  public UUID createUser(String plan, Long monthlyQuota, Limits limits) {
    UUID id = UUID.randomUUID();
    new UserRepository(gateway.database().dataSource()).insert(new StoredUser(id, id + "@example.test", "test", plan,
        monthlyQuota, null, limits, Instant.now()));
    return id;
  }

  private String insertKey(Instant expiresAt, List<String> models, UUID userId, Limits limits) {
    String raw = ApiKeys.generate();
    new ApiKeyRepository(gateway.database().dataSource()).insert(new StoredKey(UUID.randomUUID(), "test",
        ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), models, false, expiresAt, Instant.now(), userId, null, limits));
    return raw;
  }

  /** POSTs a JSON body with the key as a bearer token; the whole answer as a string. */
  public HttpResponse<String> post(String path, String key, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return send(b.build());
  }

  public HttpResponse<String> get(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return send(b.build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request to the gateway failed: " + e, e);
    }
  }

  /**
   * Waits (at most 10 s) until {@code count} request records are in the database and returns
   * them, oldest first, as column-name maps.
   */
  public List<Map<String, Object>> awaitRecords(int count) {
    return awaitRows(row -> true, count, "request records");
  }

  /** Like {@link #awaitRecords} for one key's records only. */
  public List<Map<String, Object>> awaitRecordsOf(UUID keyId, int count) {
    return awaitRows(row -> keyId.equals(row.get("api_key_id")), count, "records of key " + keyId);
  }

  /** Like {@link #awaitRecords} for the records of one model, as the client named it. */
  public List<Map<String, Object>> awaitRecordsOfModel(String model, int count) {
    return awaitRows(row -> model.equals(row.get("model")), count, "records of model " + model);
  }

  private List<Map<String, Object>> awaitRows(java.util.function.Predicate<Map<String, Object>> which, int count,
      String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Map<String, Object>> rows = List.of();
    while (System.nanoTime() < deadline) {
      rows = records().stream().filter(which).toList();
      if (rows.size() >= count) {
        return rows;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("expected " + count + " " + what + ", found " + rows.size() + ": " + rows);
  }

  /** The id of the key whose raw value is {@code rawKey}. */
  public UUID keyId(String rawKey) {
    return new ApiKeyRepository(gateway.database().dataSource()).findByHash(ApiKeys.hash(rawKey)).orElseThrow().id();
  }

  public List<Map<String, Object>> records() {
    try (var c = gateway.database().dataSource().getConnection();
        var rs = c.createStatement().executeQuery("SELECT * FROM requests ORDER BY created_at, id")) {
      List<Map<String, Object>> rows = new java.util.ArrayList<>();
      var meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new java.util.HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    gateway.close();
    if (spoolDir != null) {
      try (var files = Files.walk(spoolDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
