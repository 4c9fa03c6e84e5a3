package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
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
 * The admin API's reads on H2 and PostgreSQL: usage reports from the daily roll-up (every grouping,
 * filters, pages, totals), the requests log by cursor, and the audit trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminQueriesTest {
  private static final Instant DAY1 = Instant.parse("2025-06-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2025-06-02T10:00:00Z");
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static UsageRecord record(UUID key, UUID user, String project, String model, int status, int prompt,
      int cacheRead, String cost, String saved, Instant at) {
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), key, user, project, model,
        status == 200 ? "openai" : null, model, false, status, status == 200 ? null : "invalid_request_error",
        new Usage(prompt, 10, cacheRead, 0, false), new BigDecimal(cost), new BigDecimal(saved), 5, null, at);
  }

  /** Two keys of one user: key A has two requests on day 1 and one on day 2, key B one on day 2. */
  private record Fixture(UUID keyA, UUID keyB, UUID user, String project) {}

  private static Fixture fixture(TestDatabase db) {
    Fixture f = new Fixture(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "p-" + UUID.randomUUID());
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    for (UUID k : List.of(f.keyA(), f.keyB())) {
      keys.insert(new StoredKey(k, k.equals(f.keyA()) ? "key-a" : "key-b", (k + "" + k).replace("-", ""), "tr-x",
          List.of(), false, null, DAY1, f.user(), f.project(), null));
    }
    new RequestRepository(db.dataSource()).insertAll(List.of(
        record(f.keyA(), f.user(), f.project(), "gpt-4o", 200, 1000, 500, "0.01", "0.002", DAY1),
        record(f.keyA(), f.user(), f.project(), "gpt-4o", 200, 1000, 0, "0.01", "0", DAY1.plusSeconds(60)),
        record(f.keyA(), f.user(), f.project(), "gpt-4o-mini", 200, 2000, 1000, "0.001", "0.0001", DAY2),
        record(f.keyB(), f.user(), f.project(), "gpt-4o", 200, 100, 0, "0.5", "0", DAY2.plusSeconds(1)),
        record(f.keyB(), f.user(), f.project(), "gpt-4o", 400, 0, 0, "0", "0", DAY2.plusSeconds(2))));
    return f;
  }

  private static UsageQuery query(Fixture f, List<UsageDimension> groupBy, int offset, int limit) {
    return new UsageQuery(groupBy, DAY1.truncatedTo(ChronoUnit.DAYS), DAY2.truncatedTo(ChronoUnit.DAYS).plus(1,
        ChronoUnit.DAYS), null, f.user(), null, null, null, offset, limit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void usageByKeyIsSummedMostExpensiveFirstWithNames(TestDatabase db) {
    Fixture f = fixture(db);

    UsageReports.Report r = new UsageReports(db.dataSource()).run(query(f, List.of(UsageDimension.KEY), 0, 10));

    assertThat(r.rows().items()).extracting(UsageRow::keyName).containsExactly("key-b", "key-a");
    UsageRow a = r.rows().items().get(1);
    assertThat(a.requests()).isEqualTo(3);
    assertThat(a.promptTokens()).isEqualTo(4000);
    assertThat(a.cacheReadTokens()).isEqualTo(1500);
    assertThat(a.costUsd()).isEqualByComparingTo("0.021");
    assertThat(a.savedUsd()).isEqualByComparingTo("0.0021");
    assertThat(a.cacheHitRate()).isEqualByComparingTo("0.375");
    assertThat(r.totals().requests()).isEqualTo(4);
    assertThat(r.totals().costUsd()).isEqualByComparingTo("0.521");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void usageByDayAndModelIsChronological(TestDatabase db) {
    Fixture f = fixture(db);

    List<UsageRow> rows = new UsageReports(db.dataSource()).run(query(f, List.of(UsageDimension.DAY,
        UsageDimension.MODEL), 0, 10)).rows().items();

    assertThat(rows).extracting(r -> r.day() + " " + r.model() + " " + r.requests()).containsExactly(
        "2025-06-01T00:00:00Z gpt-4o 2", "2025-06-02T00:00:00Z gpt-4o 1", "2025-06-02T00:00:00Z gpt-4o-mini 1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void usageByProjectUserAndProviderAndFilteredByKey(TestDatabase db) {
    Fixture f = fixture(db);
    UsageReports reports = new UsageReports(db.dataSource());

    UsageRow byProject = reports.run(query(f, List.of(UsageDimension.PROJECT, UsageDimension.USER,
        UsageDimension.PROVIDER), 0, 10)).rows().items().getFirst();
    UsageReports.Report keyB = reports.run(new UsageQuery(List.of(UsageDimension.MODEL), DAY1.truncatedTo(
        ChronoUnit.DAYS), DAY2.plus(1, ChronoUnit.DAYS), f.keyB(), null, f.project(), "gpt-4o", "openai", 0, 10));

    assertThat(byProject.project()).isEqualTo(f.project());
    assertThat(byProject.userId()).isEqualTo(f.user());
    assertThat(byProject.provider()).isEqualTo("openai");
    assertThat(byProject.requests()).isEqualTo(4);
    assertThat(keyB.rows().items()).singleElement().extracting(UsageRow::requests).isEqualTo(1L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void usagePagesCountEveryGroup(TestDatabase db) {
    Fixture f = fixture(db);

    UsageReports.Report first = new UsageReports(db.dataSource()).run(query(f, List.of(UsageDimension.KEY), 0, 1));
    UsageReports.Report second = new UsageReports(db.dataSource()).run(query(f, List.of(UsageDimension.KEY), 1, 1));

    assertThat(first.rows().total()).isEqualTo(2);
    assertThat(first.rows().hasMore()).isTrue();
    assertThat(second.rows().hasMore()).isFalse();
    assertThat(first.rows().items().getFirst().keyId()).isNotEqualTo(second.rows().items().getFirst().keyId());
    UsageReports.Report past = new UsageReports(db.dataSource()).run(query(f, List.of(UsageDimension.KEY), 5, 1));
    assertThat(past.rows().items()).isEmpty();
    assertThat(past.rows().total()).isEqualTo(2);
    assertThat(past.totals()).isEqualTo(first.totals());
    assertThat(second.totals()).isEqualTo(first.totals());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void requestsLogPagesNewestFirstByCursorAndFilters(TestDatabase db) {
    Fixture f = fixture(db);
    RequestLog log = new RequestLog(db.dataSource());

    List<RequestRow> all = new ArrayList<>();
    RequestQuery.Cursor cursor = null;
    for (int page = 0; page < 10; page++) {
      List<RequestRow> rows = log.recent(new RequestQuery(null, f.user(), null, null, null, false, null, null,
          cursor, 2));
      all.addAll(rows);
      if (rows.size() < 2) {
        break;
      }
      cursor = new RequestQuery.Cursor(rows.getLast().createdAt(), rows.getLast().id());
    }
    List<RequestRow> failed = log.recent(new RequestQuery(f.keyB(), null, f.project(), "gpt-4o", null, true, DAY1,
        null, null, 10));

    assertThat(all).hasSize(5);
    assertThat(all).extracting(RequestRow::createdAt).isSortedAccordingTo((x, y) -> y.compareTo(x));
    assertThat(all.getFirst().keyName()).isEqualTo("key-b");
    assertThat(failed).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("invalid_request_error");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void auditEntriesAreReadNewestFirstByResource(TestDatabase db) {
    AuditRepository audit = new AuditRepository(db.dataSource());
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    new Transactions(db.dataSource()).run("auditing", c -> {
      audit.insert(c, new AuditEntry(UUID.randomUUID(), now.minusSeconds(1), "admin", "create", "api_key", id,
          "{\"set\":{}}", "req-1"));
      audit.insert(c, new AuditEntry(UUID.randomUUID(), now, "cli:ada", "update", "api_key", id, "{\"set\":{}}", null));
      return null;
    });

    List<AuditEntry> entries = audit.recent("api_key", id, null, 10);

    assertThat(entries).extracting(AuditEntry::action).containsExactly("update", "create");
    assertThat(entries.getFirst().actor()).isEqualTo("cli:ada");
    assertThat(audit.recent("api_key", id, now, 10)).extracting(AuditEntry::action).containsExactly("create");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFailedChangeLeavesNoAuditRow(TestDatabase db) {
    AuditRepository audit = new AuditRepository(db.dataSource());
    String id = UUID.randomUUID().toString();

    try {
      new Transactions(db.dataSource()).run("failing", c -> {
        audit.insert(c, new AuditEntry(UUID.randomUUID(), Instant.now(), "admin", "create", "plan", id, "{}", null));
        throw new IllegalStateException("the change failed");
      });
    } catch (IllegalStateException expected) {
      // the transaction is rolled back
    }

    assertThat(audit.recent("plan", id, null, 10)).isEmpty();
  }
}
