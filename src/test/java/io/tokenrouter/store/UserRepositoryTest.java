package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserRepositoryTest {
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static StoredUser user(String plan, Long quota, BigDecimal multiplier, Limits limits) {
    return new StoredUser(UUID.randomUUID(), UUID.randomUUID() + "@example.com", "Ada", plan, quota, multiplier, limits,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyColumnReadsBackAsWritten(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());
    StoredUser user = user("enterprise", 5_000_000_000L, new BigDecimal("0.6500"),
        new Limits(600, 2_000_000, 50, 20, 100_000, 8_000, new BigDecimal("100.000000"), new BigDecimal("2000.000000")));

    users.insert(user);

    assertThat(users.find(user.id())).contains(user);
    assertThat(users.findByEmail(user.email())).contains(user);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void overridesLeftOutReadBackAsNullSoThePlanApplies(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());
    StoredUser user = user("free", null, null, Limits.NONE);

    users.insert(user);

    StoredUser found = users.find(user.id()).orElseThrow();
    assertThat(found.quotaLimit()).isNull();
    assertThat(found.priceMultiplier()).isNull();
    assertThat(found.limits()).isEqualTo(Limits.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void plansCarrySeed000sFigures(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());

    assertThat(users.plan("free")).hasValueSatisfying(p -> {
      assertThat(p.monthlyTokenQuota()).isEqualTo(1_000_000L);
      assertThat(p.rpm()).isEqualTo(20);
      assertThat(p.priceMultiplier()).isEqualByComparingTo("1.0");
    });
    assertThat(users.plan("pro")).hasValueSatisfying(p -> {
      assertThat(p.monthlyTokenQuota()).isEqualTo(50_000_000L);
      assertThat(p.rpm()).isEqualTo(120);
      assertThat(p.priceMultiplier()).isEqualByComparingTo("0.8");
    });
    assertThat(users.plan("enterprise")).hasValueSatisfying(p -> {
      assertThat(p.monthlyTokenQuota()).isNull();
      assertThat(p.rpm()).isNull();
    });
    assertThat(users.plan("platinum")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void updateChangesPlanQuotaAndLimits(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());
    StoredUser user = user("free", null, null, Limits.NONE);
    users.insert(user);
    StoredUser changed = new StoredUser(user.id(), user.email(), "Ada", "pro", 5_000L, new BigDecimal("0.5000"),
        new Limits(30, null, null, null, null, null, null, null), user.createdAt());

    new Transactions(db.dataSource()).run("updating", c -> {
      users.update(c, changed);
      return null;
    });

    StoredUser read = users.find(user.id()).orElseThrow();
    assertThat(read.plan()).isEqualTo("pro");
    assertThat(read.name()).isEqualTo("Ada");
    assertThat(read.quotaLimit()).isEqualTo(5_000L);
    assertThat(read.priceMultiplier()).isEqualByComparingTo("0.5");
    assertThat(read.limits().rpm()).isEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void duplicateEmailIsAConflict(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());
    StoredUser user = user("free", null, null, Limits.NONE);
    users.insert(user);
    StoredUser twin = new StoredUser(UUID.randomUUID(), user.email(), "twin", "free", null, null, Limits.NONE,
        Instant.now());

    assertThatThrownBy(() -> new Transactions(db.dataSource()).run("creating user", c -> {
      users.insert(c, twin);
      return null;
    })).isInstanceOf(ConflictException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void plansAreListedAndCanBeAddedAndChanged(TestDatabase db) {
    UserRepository users = new UserRepository(db.dataSource());
    String name = "team-" + UUID.randomUUID().toString().substring(0, 8);
    Transactions tx = new Transactions(db.dataSource());

    tx.run("creating plan", c -> {
      users.insertPlan(c, new StoredPlan(name, 1_000L, 10, new BigDecimal("0.9000")));
      return null;
    });
    tx.run("changing plan", c -> {
      users.updatePlan(c, new StoredPlan(name, null, 20, new BigDecimal("0.7000")));
      return null;
    });

    assertThat(users.plans()).extracting(StoredPlan::name).contains("free", "pro", "enterprise", name);
    StoredPlan read = users.plan(name).orElseThrow();
    assertThat(read.monthlyTokenQuota()).isNull();
    assertThat(read.rpm()).isEqualTo(20);
    assertThat(read.priceMultiplier()).isEqualByComparingTo("0.7");
  }
}
