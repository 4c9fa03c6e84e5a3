package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.config.UsageConfig;
import io.tokenrouter.reply.Usage;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One record the database cannot store never holds up the others: names it cannot hold are
 * cleaned before writing, and a record it still refuses (here a cost beyond the column's
 * precision) is found by splitting the batch and set aside in the dead-letter file, in a direct
 * write, in a replay after an outage and in a replay after a restart.
 */
class RefusedRecordsTest {
  /** DECIMAL(20, 10) holds less than 10^10: the database refuses this (SQLState 22003, 22001 on H2). */
  private static final BigDecimal UNSTORABLE_COST = new BigDecimal("1000000000000");
  private static final List<TestDatabase> DATABASES = TestDatabases.both();
  private final AtomicInteger spooled = new AtomicInteger();
  private final AtomicInteger setAside = new AtomicInteger();
  /** Prefixes this test's request ids: the databases are shared by the whole class. */
  private final String run = UUID.randomUUID().toString().substring(0, 8) + "-";

  static Stream<TestDatabase> databases() {
    return DATABASES.stream();
  }

  @AfterAll
  static void dropDatabases() {
    DATABASES.forEach(TestDatabase::drop);
  }

  private UsageRecord record(String requestId, String model, BigDecimal cost) {
    return new UsageRecord(UUID.randomUUID(), run + requestId, UUID.randomUUID(), null, null, model, "mock",
        "mock-chat", false, 200, null, new Usage(10, 5, 0, 0, false), cost, BigDecimal.ZERO, 12, null, Instant.now());
  }

  /** req-0 .. req-(n-1), all storable but {@code refused}. */
  private List<UsageRecord> batch(int n, int refused) {
    return IntStream.range(0, n)
        .mapToObj(i -> record("req-" + i, "mock-chat", i == refused ? UNSTORABLE_COST : BigDecimal.ONE)).toList();
  }

  private UsageRecorder recorder(DataSource ds, Path dir) {
    return new UsageRecorder(new RequestRepository(ds), new UsageConfig(100, 50, Duration.ofMillis(20),
        dir.toString()), new UsageRecorder.Meters(spooled::addAndGet, setAside::addAndGet));
  }

  private static void reserveAndRecord(UsageRecorder recorder, List<UsageRecord> records) {
    for (UsageRecord r : records) {
      assertThat(recorder.tryReserve()).isTrue();
      recorder.record(r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aBatchLandsWholeButForTheRecordTheDatabaseRefuses(TestDatabase db, @TempDir Path dir) throws Exception {
    List<UsageRecord> records = new ArrayList<>(batch(12, 8));
    records.set(3, record("req-3", "\u0000", BigDecimal.ONE));
    records.set(5, record("req-5", "m\ud800", BigDecimal.ONE));
    records.set(7, record("req-7", "x".repeat(300), BigDecimal.ONE));

    try (UsageRecorder recorder = recorder(db.dataSource(), dir)) {
      reserveAndRecord(recorder, records);
      await(() -> stored(db).size() == 11, "11 records stored");
    }

    Map<String, String> stored = stored(db);
    assertThat(stored).hasSize(11).doesNotContainKey("req-8");
    assertThat(stored).containsEntry("req-3", "").containsEntry("req-5", "m\uFFFD")
        .containsEntry("req-7", "x".repeat(100));
    assertThat(deadLetters(dir)).singleElement().satisfies(line -> {
      assertThat(line.path("record").path("requestId").asText()).isEqualTo(run + "req-8");
      assertThat(line.path("sql_state").asText()).as("a data exception").startsWith("22");
      assertThat(line.path("reason").asText()).isNotBlank();
    });
    assertThat(setAside).hasValue(1);
    assertThat(spooled).hasValue(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aRefusedRecordInTheSpoolOfAnEarlierRunIsSetAsideOnceAndTheRestLand(TestDatabase db, @TempDir Path dir)
      throws Exception {
    List<String> lines = new ArrayList<>();
    for (UsageRecord r : batch(20, 10)) {
      lines.add(UsageSpool.JSON.writeValueAsString(r));
    }
    // an earlier version wrote names as the client sent them
    lines.set(4, lines.get(4).replace("\"model\":\"mock-chat\"", "\"model\":\"mock\\u0000chat\""));
    Files.writeString(dir.resolve(UsageSpool.FILE_NAME), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

    try (UsageRecorder recorder = recorder(db.dataSource(), dir)) {
      await(() -> stored(db).size() == 19 && spoolIsEmpty(dir), "19 spooled records stored and the spool emptied");
    }
    try (UsageRecorder restarted = recorder(db.dataSource(), dir)) {
      Thread.sleep(200);
    }

    assertThat(stored(db)).hasSize(19).doesNotContainKey("req-10").containsEntry("req-4", "mockchat");
    assertThat(deadLetters(dir)).singleElement()
        .satisfies(line -> assertThat(line.path("record").path("requestId").asText()).isEqualTo(run + "req-10"));
    assertThat(setAside).hasValue(1);
  }

  @Test
  void anOutageSpoolsEveryRecordAndTheReplaySetsAsideOnlyTheRefusedOne(@TempDir Path dir) throws Exception {
    TestDatabase postgres = TestDatabases.postgres();
    try (CuttableTcpProxy proxy = new CuttableTcpProxy(TestDatabases.POSTGRES_PORT);
        Database database = Database.open(new DatabaseConfig(postgres.postgresUrlThrough(proxy.port()), null, null, 2,
            Duration.ofMillis(500)))) {
      try (UsageRecorder recorder = recorder(database.dataSource(), dir)) {
        proxy.reset();
        reserveAndRecord(recorder, batch(30, 17));
        await(() -> spooled.get() == 30, "30 records spooled");
        assertThat(setAside).as("an outage sets nothing aside").hasValue(0);

        proxy.restore();
        await(() -> stored(postgres).size() == 29 && spoolIsEmpty(dir), "29 records replayed");
      }
      assertThat(stored(postgres)).hasSize(29).doesNotContainKey("req-17");
      assertThat(deadLetters(dir)).singleElement()
          .satisfies(line -> assertThat(line.path("record").path("requestId").asText()).isEqualTo(run + "req-17"));
    } finally {
      postgres.drop();
    }
  }

  @Test
  void requestsNamingModelsPostgresqlCannotStoreAreRecordedWithEveryOther() throws Exception {
    TestDatabase postgres = TestDatabases.postgres();
    try (TestGateway gateway = TestGateway.start("""
        database: { url: "%s" }
        usage: { flush_interval: 20ms }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(postgres.postgresUrlThrough(TestDatabases.POSTGRES_PORT)))) {
      String key = gateway.createKey();
      byte[] overlongNul = {'"', (byte) 0xC0, (byte) 0x80, '"'};
      List<byte[]> models = List.of("\"\\u0000\"".getBytes(StandardCharsets.UTF_8), overlongNul,
          "\"\\ud800\"".getBytes(StandardCharsets.UTF_8), "\"mock-chat\"".getBytes(StandardCharsets.UTF_8));
      List<String> sent = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (byte[] model : models) {
          HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
              .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(chat(model))).build());
          sent.add(r.headers().firstValue("X-Request-Id").orElseThrow());
        }
      }

      List<Map<String, Object>> rows = gateway.awaitRecords(sent.size());
      assertThat(rows).extracting(row -> row.get("request_id")).containsExactlyInAnyOrderElementsOf(sent);
      String metrics = gateway.get("/metrics", null).body();
      assertThat(metrics).doesNotContainPattern("tokenrouter_usage_spooled_total [1-9]")
          .doesNotContainPattern("tokenrouter_usage_dead_letter_total [1-9]");
    } finally {
      postgres.drop();
    }
  }

  private static byte[] chat(byte[] model) {
    byte[] head = "{\"model\":".getBytes(StandardCharsets.UTF_8);
    byte[] tail = ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + model.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(model, 0, body, head.length, model.length);
    System.arraycopy(tail, 0, body, head.length + model.length, tail.length);
    return body;
  }

  /** Request id (without the run's prefix) to model of this test's rows; fails on one stored twice. */
  private Map<String, String> stored(TestDatabase db) {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT request_id, model FROM requests")) {
      Map<String, String> rows = new HashMap<>();
      while (rs.next()) {
        String id = rs.getString(1);
        if (id.startsWith(run)) {
          assertThat(rows.put(id.substring(run.length()), rs.getString(2))).as("stored twice: %s", id).isNull();
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static List<JsonNode> deadLetters(Path dir) throws IOException {
    Path file = dir.resolve(DeadLetters.FILE_NAME);
    if (!Files.exists(file)) {
      return List.of();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(UsageSpool.JSON.readTree(line));
    }
    return lines;
  }

  private static boolean spoolIsEmpty(Path dir) {
    try {
      return Files.size(dir.resolve(UsageSpool.FILE_NAME)) == 0;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
