package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.UsageConfig;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder's writer when no records come: it sleeps, and the next record wakes it. */
class UsageRecorderSleepTest {
  @TempDir
  Path dir;
  private final TestDatabase db = TestDatabases.h2();
  private final RequestRepository requests = new RequestRepository(db.dataSource());

  @AfterEach
  void dropDatabase() {
    db.drop();
  }

  private UsageRecorder recorder() {
    return new UsageRecorder(requests, new UsageConfig(10, 10, Duration.ofMillis(10), dir.toString()),
        new UsageRecorder.Meters(n -> { }, n -> { }));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static void record(UsageRecorder recorder, UsageRecord record) {
    assertThat(recorder.tryReserve()).as("room for a record").isTrue();
    recorder.record(record);
  }

  @Test
  void anIdleWriterSleepsUntilARecordComesAndTheRecordWakesIt() throws Exception {
    try (UsageRecorder recorder = recorder()) {
      await(recorder::asleep, "the writer asleep after " + UsageRecorder.IDLE_ROUNDS + " empty flush intervals");

      record(recorder, UsageSpoolTest.records(1).getFirst());

      await(() -> requests.count() == 1, "the record in the database");
      assertThat(recorder.asleep()).as("asleep again only after more empty intervals").isFalse();
    }
  }

  @Test
  void closingWakesASleepingWriterAndEndsIt() throws Exception {
    UsageRecorder recorder = recorder();
    await(recorder::asleep, "the writer asleep");

    recorder.close(Duration.ofSeconds(5));

    assertThat(recorder.writing()).isFalse();
  }
}
