package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.usage.RecordsRefused;
import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The requests table on H2 and on PostgreSQL: batched, atomic, idempotent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestRepositoryTest {
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static UsageRecord record(String model) {
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), UUID.randomUUID(), null, null, model,
        "mock", "mock-chat", false, 200, null, new Usage(10, 5, 2, 0, false), BigDecimal.ZERO, BigDecimal.ZERO, 12,
        null, Instant.now());
  }

  private static List<UsageRecord> records(int n) {
    return IntStream.range(0, n).mapToObj(i -> record("mock-chat")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aBatchLandsWhole(TestDatabase db) {
    RequestRepository requests = new RequestRepository(db.dataSource());
    long before = requests.count();

    requests.insertAll(records(25));

    assertThat(requests.count()).isEqualTo(before + 25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aBatchWithOneBadRecordLandsNotAtAll(TestDatabase db) {
    RequestRepository requests = new RequestRepository(db.dataSource());
    long before = requests.count();
    List<UsageRecord> batch = new ArrayList<>(records(5));
    batch.add(2, record(null));

    // a null model breaks a NOT NULL constraint: refused data, not an outage
    assertThatThrownBy(() -> requests.insertAll(batch)).isInstanceOf(RecordsRefused.class);

    assertThat(requests.count()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void writingTheSameRecordsAgainAddsNothing(TestDatabase db) {
    RequestRepository requests = new RequestRepository(db.dataSource());
    List<UsageRecord> batch = records(10);
    requests.insertAll(batch.subList(0, 4));
    long before = requests.count();

    requests.insertAll(batch);
    requests.insertAll(batch);

    assertThat(requests.count()).isEqualTo(before + 6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anOverlongModelNameIsClippedRatherThanFailingTheBatch(TestDatabase db) throws SQLException {
    RequestRepository requests = new RequestRepository(db.dataSource());
    UsageRecord overlong = record("m".repeat(300));

    requests.insertAll(List.of(overlong));

    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT model FROM requests WHERE id = ?")) {
      ps.setObject(1, overlong.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("m".repeat(100));
      }
    }
  }
}
