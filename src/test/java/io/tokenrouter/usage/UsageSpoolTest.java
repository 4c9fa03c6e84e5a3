package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.reply.Usage;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool file on its own: append, read back, survive a torn write, replay idempotently. */
class UsageSpoolTest {
  @TempDir
  Path dir;

  /** Scales and magnitudes a double or an exponent-formatting writer would not bring back equal. */
  private static final List<BigDecimal> COSTS = List.of(new BigDecimal("0.0044000000"), new BigDecimal("1E-10"),
      new BigDecimal("0.1000000001"), new BigDecimal("123456789.0123456789"), BigDecimal.ZERO);

  static List<UsageRecord> records(int n) {
    return IntStream.range(0, n).mapToObj(i -> new UsageRecord(UUID.randomUUID(), "req-" + i, UUID.randomUUID(),
        i % 2 == 0 ? UUID.randomUUID() : null, i % 2 == 0 ? "proj-" + i : null, "mock-chat", "mock", "mock-chat",
        i % 2 == 0, 200, null, new Usage(10 + i, 5, 2, 1, i % 3 == 0), COSTS.get(i % COSTS.size()),
        BigDecimal.valueOf(i, 10), 12, i % 2 == 0 ? 7 : null, Instant.parse("2025-01-02T03:04:05.123456Z"))).toList();
  }

  private void appendGarbage(String text) throws Exception {
    Files.writeString(dir.resolve(UsageSpool.FILE_NAME), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @Test
  void recordsReadBackEqualAndInOrder() throws Exception {
    List<UsageRecord> written = records(5);
    try (UsageSpool spool = UsageSpool.open(dir)) {
      spool.append(written.subList(0, 2));
      spool.append(written.subList(2, 5));

      assertThat(spool.read(100).records()).isEqualTo(written);
    }
  }

  @Test
  void aReadTakesAtMostTheAskedNumberAndConsumingItMovesOn() throws Exception {
    List<UsageRecord> written = records(5);
    try (UsageSpool spool = UsageSpool.open(dir)) {
      spool.append(written);

      UsageSpool.Chunk first = spool.read(3);
      spool.consumed(first);

      assertThat(first.records()).isEqualTo(written.subList(0, 3));
      assertThat(spool.read(3).records()).isEqualTo(written.subList(3, 5));
    }
  }

  @Test
  void consumingEverythingEmptiesTheFile() throws Exception {
    try (UsageSpool spool = UsageSpool.open(dir)) {
      spool.append(records(3));

      spool.consumed(spool.read(10));

      assertThat(spool.isEmpty()).isTrue();
      assertThat(Files.size(dir.resolve(UsageSpool.FILE_NAME))).isZero();
    }
  }

  @Test
  void aTornLastLineIsSkippedAndDoesNotSwallowTheNextRecord() throws Exception {
    List<UsageRecord> written = records(3);
    try (UsageSpool spool = UsageSpool.open(dir)) {
      spool.append(written.subList(0, 2));
    }
    appendGarbage("{\"id\":\"6f0c1a52-0000-4000-8000-0000000");

    try (UsageSpool reopened = UsageSpool.open(dir)) {
      reopened.append(written.subList(2, 3));

      assertThat(reopened.read(100).records()).isEqualTo(written);
    }
  }

  @Test
  void aTornLastLineAloneIsConsumedSoReplayEnds() throws Exception {
    List<UsageRecord> written = records(2);
    try (UsageSpool spool = UsageSpool.open(dir)) {
      spool.append(written);
    }
    appendGarbage("{\"id\":");

    try (UsageSpool reopened = UsageSpool.open(dir)) {
      UsageSpool.Chunk chunk = reopened.read(100);
      reopened.consumed(chunk);

      assertThat(chunk.records()).isEqualTo(written);
      assertThat(reopened.isEmpty()).isTrue();
    }
  }

  @Test
  void aSecondProcessCannotOpenTheSameSpool() {
    try (UsageSpool spool = UsageSpool.open(dir)) {
      assertThatThrownBy(() -> UsageSpool.open(dir)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("usage.spool_dir");
    }
  }

  @Test
  void replayingAgainAfterACrashBeforeTruncationStoresEachRecordOnce() throws Exception {
    TestDatabase db = TestDatabases.h2();
    try {
      RequestRepository requests = new RequestRepository(db.dataSource());
      try (UsageSpool spool = UsageSpool.open(dir)) {
        spool.append(records(4));
      }
      appendGarbage("{\"id\":\"torn");
      try (UsageSpool crashedAfterCommit = UsageSpool.open(dir)) {
        requests.insertAll(crashedAfterCommit.read(100).records());
      }

      try (UsageSpool restarted = UsageSpool.open(dir)) {
        UsageSpool.Chunk again = restarted.read(100);
        requests.insertAll(again.records());
        restarted.consumed(again);

        assertThat(again.records()).hasSize(4);
        assertThat(restarted.isEmpty()).isTrue();
      }
      assertThat(requests.count()).isEqualTo(4);
    } finally {
      db.drop();
    }
  }
}
