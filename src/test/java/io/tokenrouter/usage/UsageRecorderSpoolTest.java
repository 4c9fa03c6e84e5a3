package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.UsageConfig;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder when its database goes away and comes back (H2 behind a switch). */
class UsageRecorderSpoolTest {
  @TempDir
  Path dir;
  private final TestDatabase db = TestDatabases.h2();
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger spooled = new AtomicInteger();

  @AfterEach
  void dropDatabase() {
    db.drop();
  }

  /** The test database, failing every getConnection while {@link #down} is set. */
  private DataSource switchable() {
    DataSource real = db.dataSource();
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && down.get()) {
            throw new SQLTransientConnectionException("database switched off by the test");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private UsageRecorder recorder(int capacity) {
    return new UsageRecorder(new RequestRepository(switchable()),
        new UsageConfig(capacity, 10, Duration.ofMillis(20), dir.toString()),
        new UsageRecorder.Meters(spooled::addAndGet, n -> { }));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  private static void reserveAndRecord(UsageRecorder recorder, List<UsageRecord> records) {
    for (UsageRecord r : records) {
      assertThat(recorder.tryReserve()).as("room for a record").isTrue();
      recorder.record(r);
    }
  }

  @Test
  void whileTheDatabaseIsDownRecordsAreSpooledAndFreeTheirSlots() throws Exception {
    down.set(true);
    try (UsageRecorder recorder = recorder(3)) {
      for (int round = 0; round < 4; round++) {
        reserveAndRecord(recorder, UsageSpoolTest.records(3));
        int expected = 3 * (round + 1);
        await(() -> spooled.get() == expected, expected + " records spooled");
      }

      assertThat(recorder.tryReserve()).isTrue();
    }
  }

  @Test
  void spooledRecordsLandOnceEachWhenTheDatabaseIsBack() throws Exception {
    RequestRepository requests = new RequestRepository(db.dataSource());
    down.set(true);
    try (UsageRecorder recorder = recorder(100)) {
      reserveAndRecord(recorder, UsageSpoolTest.records(25));
      await(() -> spooled.get() == 25, "25 records spooled");

      down.set(false);
      reserveAndRecord(recorder, UsageSpoolTest.records(5));

      await(() -> requests.count() == 30, "30 records in the database");
      await(() -> recorderSpoolIsEmpty(), "the spool emptied");
    }
    assertThat(requests.count()).isEqualTo(30);
  }

  private boolean recorderSpoolIsEmpty() {
    try {
      return Files.size(dir.resolve(UsageSpool.FILE_NAME)) == 0;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void recordsLeftInTheSpoolByAnEarlierRunAreWrittenAtStart() throws Exception {
    try (UsageSpool earlierRun = UsageSpool.open(dir)) {
      earlierRun.append(UsageSpoolTest.records(7));
    }
    RequestRepository requests = new RequestRepository(db.dataSource());

    try (UsageRecorder recorder = recorder(10)) {
      await(() -> requests.count() == 7, "7 spooled records in the database");
    }
  }
}
