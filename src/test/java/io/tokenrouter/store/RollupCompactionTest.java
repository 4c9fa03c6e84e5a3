package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compaction of the daily roll-ups on H2 and PostgreSQL: a past day's partial rows become one per
 * group with the same sums (every report reads the same before and after), the current days are
 * left alone, a second pass changes nothing, and a row appended while a day is compacted survives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupCompactionTest {
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static UsageRecord record(UUID key, UUID user, String model, int status, int prompt, Instant at) {
    boolean served = status < 400 || status >= 500;
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), key, user, "proj", model,
        status == 404 ? null : "openai", status == 404 ? null : model, false, status, null,
        served ? new Usage(prompt, 10, prompt / 2, 0, false) : Usage.NONE, new BigDecimal("0.0000012345"),
        new BigDecimal("0.0000001"), 10, null, at);
  }

  private static long rows(TestDatabase db, String table, Instant day) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE time = ?")) {
      ps.setObject(1, day.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<Object> reports(TestDatabase db, UUID key, Instant from, Instant to) {
    UsageReports usage = new UsageReports(db.dataSource());
    StatusReports statuses = new StatusReports(db.dataSource());
    List<Object> all = new ArrayList<>();
    for (List<UsageDimension> g : List.of(List.of(UsageDimension.DAY, UsageDimension.MODEL),
        List.of(UsageDimension.KEY, UsageDimension.USER, UsageDimension.PROVIDER), List.<UsageDimension>of())) {
      UsageReports.Report r = usage.run(new UsageQuery(g, from, to, key, null, null, null, null, 0, 100));
      all.add(r.rows().items().stream().map(UsageRow::toString).toList());
      all.add(r.totals().toString());
      StatusReports.Report s = statuses.run(new StatusQuery(g, true, from, to, key, null, null, null, null, 0, 100));
      all.add(s.rows().items().stream().map(StatusRow::toString).toList());
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aPastDaysPartialRowsBecomeOnePerGroupWithTheSameSums(TestDatabase db) throws SQLException {
    UUID key = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Instant past = today.minusDays(3).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant yesterday = today.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    RequestRepository requests = new RequestRepository(db.dataSource());
    for (int batch = 0; batch < 5; batch++) { // five batches, as a quiet gateway writes them
      requests.insertAll(List.of(record(key, user, "gpt-4o", 200, 100 + batch, past.plusSeconds(60 * batch)),
          record(key, user, "gpt-4o-mini", 200, 50, past.plusSeconds(60 * batch + 1)),
          record(key, user, "gpt-4o", 404, 0, past.plusSeconds(60 * batch + 2))));
      requests.insertAll(List.of(record(key, user, "gpt-4o", 200, 100, yesterday.plusSeconds(batch))));
    }
    Instant from = past.minus(1, ChronoUnit.DAYS);
    Instant to = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    List<Object> before = reports(db, key, from, to);
    assertThat(rows(db, "daily_usage", past)).isEqualTo(10);
    assertThat(rows(db, "daily_status", past)).isEqualTo(15);

    RollupCompaction compaction = new RollupCompaction(db.dataSource());
    RollupCompaction.Result result = compaction.compactBefore(today.minusDays(1));

    assertThat(rows(db, "daily_usage", past)).isEqualTo(2); // gpt-4o and gpt-4o-mini
    assertThat(rows(db, "daily_status", past)).isEqualTo(3); // and the 404 without a provider
    assertThat(rows(db, "daily_usage", yesterday)).as("days not yet over are left alone").isEqualTo(5);
    assertThat(result.rowsRemoved()).isGreaterThanOrEqualTo(8 + 12);
    assertThat(reports(db, key, from, to)).isEqualTo(before);
    assertThat(compaction.compactBefore(today.minusDays(1)).days()).as("nothing left to do").isZero();
    assertThat(new RollupCompaction(db.dataSource()).compactBefore(today.minusDays(1)).rowsRemoved())
        .as("a compacted day is left as it is by another instance too").isZero();
  }

  /**
   * What compaction relies on: in a REPEATABLE READ transaction, a delete by day removes the rows
   * its earlier read saw, and not a row another transaction appended in between.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aRowAppendedWhileADayIsCompactedIsNeitherSummedNorDeleted(TestDatabase db) throws SQLException {
    Instant day = Instant.parse("2024-02-03T00:00:00Z");
    UUID key = UUID.randomUUID();
    String insert = "INSERT INTO daily_status (time, api_key_id, model, status, request_count) VALUES (?, ?, 'm', 200, 1)";
    try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection()) {
      for (int i = 0; i < 2; i++) {
        try (PreparedStatement ps = b.prepareStatement(insert)) {
          ps.setObject(1, day.atOffset(ZoneOffset.UTC));
          ps.setObject(2, key);
          ps.executeUpdate();
        }
      }
      a.setAutoCommit(false);
      a.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (PreparedStatement ps = a.prepareStatement("SELECT SUM(request_count) FROM daily_status WHERE time = ?")) {
        ps.setObject(1, day.atOffset(ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(2);
        }
      }
      try (PreparedStatement ps = b.prepareStatement(insert)) { // the recorder, meanwhile
        ps.setObject(1, day.atOffset(ZoneOffset.UTC));
        ps.setObject(2, key);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = a.prepareStatement("DELETE FROM daily_status WHERE time = ?")) {
        ps.setObject(1, day.atOffset(ZoneOffset.UTC));
        assertThat(ps.executeUpdate()).isEqualTo(2);
      }
      a.commit();
      a.setAutoCommit(true);
      a.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    assertThat(rows(db, "daily_status", day)).isEqualTo(1);
  }
}
