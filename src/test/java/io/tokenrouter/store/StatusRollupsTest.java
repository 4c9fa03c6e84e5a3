package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * daily_status on H2 and PostgreSQL: every request of a batch counted per UTC day and status,
 * refusals included, replays not counted twice; the report's sums, groups and error rate; and
 * the requests recorded before the migration counted by the migration itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusRollupsTest {
  private static final Instant MORNING = Instant.parse("2025-03-04T08:00:00Z");
  private static final Instant LATE = Instant.parse("2025-03-04T23:59:59.999Z");
  private static final Instant NEXT_DAY = Instant.parse("2025-03-05T00:00:00Z");
  private final List<TestDatabase> databases = TestDatabases.both();
  private final List<TestDatabase> unmigrated = new ArrayList<>();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
    unmigrated.forEach(TestDatabase::drop);
  }

  private static UsageRecord record(UUID key, String provider, int status, Instant at) {
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), key, null, "proj", "alias", provider,
        provider == null ? null : "gpt-4o", false, status, status >= 400 ? "x" : null,
        provider == null ? Usage.NONE : new Usage(10, 5, 0, 0, false), BigDecimal.ZERO, BigDecimal.ZERO, 10, null, at);
  }

  /** (day, model, provider, status, count) rows of one key, summed like a report does. */
  private static List<String> rows(TestDatabase db, UUID key) throws SQLException {
    String sql = "SELECT time, model, provider, status, SUM(request_count) FROM daily_status WHERE api_key_id = ?"
        + " GROUP BY time, model, provider, status ORDER BY time, status, provider";
    List<String> rows = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime time = rs.getObject(1, OffsetDateTime.class);
          rows.add(time.toInstant() + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4) + " x"
              + rs.getLong(5));
        }
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyRequestIsCountedPerUtcDayAndStatusRefusalsIncluded(TestDatabase db) throws SQLException {
    UUID key = UUID.randomUUID();
    RequestRepository requests = new RequestRepository(db.dataSource());
    List<UsageRecord> batch = List.of(record(key, "openai", 200, MORNING), record(key, "openai", 200, LATE),
        record(key, "openai", 502, MORNING), record(key, null, 429, MORNING), record(key, "openai", 200, NEXT_DAY));
    requests.insertAll(batch);
    requests.insertAll(batch); // a replay adds nothing
    requests.insertAll(List.of(record(key, null, 429, LATE)));

    assertThat(rows(db, key)).containsExactly(
        "2025-03-04T00:00:00Z gpt-4o openai 200 x2",
        "2025-03-04T00:00:00Z alias null 429 x2",
        "2025-03-04T00:00:00Z gpt-4o openai 502 x1",
        "2025-03-05T00:00:00Z gpt-4o openai 200 x1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void theReportSumsRequestsAndErrorsPerGroup(TestDatabase db) {
    UUID key = UUID.randomUUID();
    new RequestRepository(db.dataSource()).insertAll(List.of(record(key, "openai", 200, MORNING),
        record(key, "openai", 200, MORNING), record(key, "openai", 502, MORNING), record(key, null, 401, NEXT_DAY)));
    StatusReports reports = new StatusReports(db.dataSource());
    Instant from = Instant.parse("2025-03-01T00:00:00Z");
    Instant to = Instant.parse("2025-03-10T00:00:00Z");

    StatusReports.Report byDay = reports.run(new StatusQuery(List.of(UsageDimension.DAY), false, from, to, key, null,
        null, null, null, 0, 50));
    StatusReports.Report byStatus = reports.run(new StatusQuery(List.of(), true, from, to, key, null, null, null,
        null, 0, 50));
    StatusReports.Report upstream = reports.run(new StatusQuery(List.of(UsageDimension.PROVIDER), false, from, to,
        key, null, null, null, "openai", 0, 50));

    assertThat(byDay.totals().requests()).isEqualTo(4);
    assertThat(byDay.totals().errors()).isEqualTo(2);
    assertThat(byDay.totals().errorRate()).isEqualByComparingTo("0.5");
    assertThat(byDay.rows().items()).extracting(r -> r.day() + " " + r.requests() + " " + r.errors())
        .containsExactly("2025-03-04T00:00:00Z 3 1", "2025-03-05T00:00:00Z 1 1");
    assertThat(byStatus.rows().items()).extracting(r -> r.status() + " " + r.requests())
        .containsExactly("200 2", "401 1", "502 1");
    assertThat(upstream.rows().items()).extracting(r -> r.provider() + " " + r.requests() + " " + r.errors())
        .containsExactly("openai 3 1");
    assertThat(upstream.rows().total()).isEqualTo(1);
    StatusReports.Report pastTheEnd = reports.run(new StatusQuery(List.of(UsageDimension.DAY), false, from, to, key,
        null, null, null, null, 10, 50));
    assertThat(pastTheEnd.rows().items()).isEmpty();
    assertThat(pastTheEnd.rows().total()).isEqualTo(2);
    assertThat(pastTheEnd.totals().requests()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void requestsRecordedBeforeTheMigrationAreCountedByIt(TestDatabase db) throws SQLException {
    String url = fresh(db);
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("8").load().migrate();
    UUID key = UUID.randomUUID();
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO requests (id, request_id, api_key_id, model, provider, upstream_model, stream, status,"
            + " latency_ms, created_at) VALUES (?, 'r', ?, 'alias', ?, ?, FALSE, ?, 5, ?)")) {
      Object[][] rows = {{"openai", "gpt-4o", 200, MORNING}, {"openai", "gpt-4o", 200, LATE},
          {"openai", "gpt-4o", 503, LATE}, {null, null, 401, LATE}, {"openai", "gpt-4o", 200, NEXT_DAY}};
      for (Object[] r : rows) {
        ps.setObject(1, UUID.randomUUID());
        ps.setObject(2, key);
        ps.setString(3, (String) r[0]);
        ps.setString(4, (String) r[1]);
        ps.setInt(5, (Integer) r[2]);
        ps.setTimestamp(6, Timestamp.from((Instant) r[3]));
        ps.executeUpdate();
      }
    }

    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();

    List<String> counted = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
        "SELECT time, model, provider, status, request_count FROM daily_status WHERE api_key_id = ?"
            + " ORDER BY time, status")) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counted.add(rs.getObject(1, OffsetDateTime.class).toInstant() + " " + rs.getString(2) + " "
              + rs.getString(3) + " " + rs.getInt(4) + " x" + rs.getInt(5));
        }
      }
    }
    assertThat(counted).containsExactly(
        "2025-03-04T00:00:00Z gpt-4o openai 200 x2",
        "2025-03-04T00:00:00Z alias null 401 x1",
        "2025-03-04T00:00:00Z gpt-4o openai 503 x1",
        "2025-03-05T00:00:00Z gpt-4o openai 200 x1");
  }

  /** An empty database of the same engine as {@code db} (a new H2 in memory, a new PostgreSQL schema). */
  private String fresh(TestDatabase db) {
    if (db.isPostgres()) {
      TestDatabase other = TestDatabases.postgres();
      unmigrated.add(other);
      db.dataSource(); // fails (or skips) the test as the others do when PostgreSQL is down
      return other.postgresUrlThrough(TestDatabases.POSTGRES_PORT);
    }
    return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        + ";DEFAULT_NULL_ORDERING=HIGH";
  }
}
