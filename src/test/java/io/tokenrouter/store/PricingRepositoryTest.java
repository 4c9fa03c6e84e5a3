package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.billing.CachedPriceBook;
import io.tokenrouter.billing.Price;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Prices as migrated on H2 and PostgreSQL, looked up through the cached price book. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PricingRepositoryTest {
  private final List<TestDatabase> databases = TestDatabases.both();
  private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    blocking.shutdown();
    databases.forEach(TestDatabase::drop);
  }

  private CachedPriceBook book(TestDatabase db, Duration refreshAfter) {
    CachedPriceBook book = new CachedPriceBook(new PricingRepository(db.dataSource())::all, blocking, refreshAfter);
    book.preload();
    return book;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anExactNameFindsItsListedPrices(TestDatabase db) {
    Price sonnet = book(db, Duration.ofMinutes(1)).find("claude-sonnet-4-5-20250929").orElseThrow();

    assertThat(sonnet.input()).isEqualByComparingTo("3.00");
    assertThat(sonnet.output()).isEqualByComparingTo("15.00");
    assertThat(sonnet.cacheRead()).isEqualByComparingTo("0.30");
    assertThat(sonnet.cacheWrite()).isEqualByComparingTo("3.75");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aDatedSnapshotFindsTheLongestListedNameItExtends(TestDatabase db) {
    CachedPriceBook book = book(db, Duration.ofMinutes(1));

    assertThat(book.find("gpt-4o-mini-2024-07-18").map(Price::model)).contains("gpt-4o-mini");
    assertThat(book.find("gpt-4.1-nano-2025-04-14").map(Price::model)).contains("gpt-4.1-nano");
    assertThat(book.find("o3-mini")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aZeroCacheWritePriceInTheTableReadsAsTheInputPrice(TestDatabase db) {
    Price gpt41Nano = book(db, Duration.ofMinutes(1)).find("gpt-4.1-nano").orElseThrow();

    assertThat(gpt41Nano.cacheRead()).isEqualByComparingTo("0.025");
    assertThat(gpt41Nano.cacheWrite()).isEqualByComparingTo("0.10");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aPriceAddedToTheTableIsFoundAfterTheBackgroundRefresh(TestDatabase db) throws Exception {
    CachedPriceBook book = book(db, Duration.ofMillis(50));
    String model = "test-model-" + UUID.randomUUID();
    assertThat(book.find(model)).isEmpty();

    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO model_pricing (id, model, provider, prompt_price, completion_price) VALUES (?, ?, 'x', 1.5, 2)")) {
      ps.setObject(1, UUID.randomUUID());
      ps.setString(2, model);
      ps.executeUpdate();
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (book.find(model).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(book.find(model).map(Price::input)).contains(new BigDecimal("1.500000"));
  }
}
