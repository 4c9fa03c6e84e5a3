package io.tokenrouter.usage;

import io.tokenrouter.config.UsageConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request records in batches on its own thread, so the request path never waits on the
 * database.
 *
 * <p>Nothing is dropped: a request reserves room for its record before it starts
 * ({@link #tryReserve()}); the room is given back only once the record is durable, in the
 * database or in the {@link UsageSpool spool}. When every slot is taken new requests are refused
 * with 503.
 *
 * <p>When the database cannot take a batch, the batch is appended to the spool and its slots
 * are released, so an outage does not turn into 503s. While the database is down every new
 * batch goes straight to the spool: only the replay, at most once a second, pays the
 * connection timeout, and the writer keeps pace with traffic. The same thread replays the
 * spool, one batch per loop, and switches back to direct writes as soon as a replay succeeds.
 * Each record lands exactly once because the insert is idempotent on the record's id and the
 * spool is truncated only after the commit (see {@link RecordStore#insertAll}).
 *
 * <p>A database that answers but refuses a batch's data (SQLState class 22 or 23, see
 * {@link RecordsRefused}) is not an outage: writing the batch again would fail the
 * same way forever. The batch is split in halves, recursively, until the refused records are
 * alone; every other record lands, and each refused one is set aside in the {@link DeadLetters}
 * file with the database's reason, counted, and named in one WARN line. The same happens to
 * spool replays, so a spool is never stuck behind one record, across restarts too.
 *
 * <p>Only when the spool cannot be written either (disk full) does a batch keep its slots and
 * retry, with backoff, until the database or the spool takes it.
 *
 * <p>After {@link #IDLE_ROUNDS} flush intervals in a row that found nothing, with the spool
 * empty, the writer sleeps until a record comes, and the thread that hands over that record
 * wakes it: an idle gateway's writer otherwise woke five times a second for nothing. Under
 * traffic the writer never gets that far, and the event loop wakes no one.
 */
public final class UsageRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
  private static final long REPLAY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_BACKOFF_MS = 5_000;
  /** Empty flush intervals in a row before the writer sleeps until woken: 1 s at the default 200 ms. */
  static final int IDLE_ROUNDS = 5;

  private final RecordStore repository;
  private final UsageSpool spool;
  private final DeadLetters deadLetters;
  /**
   * Ids of records set aside while the spool holds anything: a replay that an outage interrupted
   * after the bisection reads them again, and they must not be set aside twice. Emptied with the
   * spool, so it never holds more than the spool does.
   */
  private final Set<UUID> setAside = new HashSet<>();
  private final Meters meters;
  private final Semaphore slots;
  /**
   * Lock-free and signalled only to a sleeping writer: the writer polls it on its flush interval,
   * so handing over a record under traffic costs the event loop no thread wake-up (a blocking
   * queue would wake the writer for every record, one futex call per request).
   */
  private final ConcurrentLinkedQueue<UsageRecord> queue = new ConcurrentLinkedQueue<>();
  private final int batchSize;
  private final long flushNanos;
  private final Thread writer;
  private volatile boolean closing;
  private volatile boolean givingUp;
  /**
   * Set while the writer sleeps until a record comes. The writer sets it and then looks at the
   * queue; {@link #record} adds to the queue and then reads it: both are volatile, so one of the
   * two sees the other's write, and a record is never left waiting for a writer nobody wakes.
   */
  private volatile boolean asleep;
  private boolean databaseDown;
  private long nextReplayNanos;

  /**
   * What the recorder reports, for metrics: how many records went to the spool, and how many
   * the database refused and were set aside, each time some do.
   */
  public record Meters(IntConsumer spooled, IntConsumer setAside) {}

  public UsageRecorder(RecordStore repository, UsageConfig config, Meters meters) {
    this.repository = repository;
    Path dir = Path.of(config.spoolDir());
    this.spool = UsageSpool.open(dir);
    this.deadLetters = new DeadLetters(dir);
    this.meters = meters;
    this.slots = new Semaphore(config.queueCapacity());
    this.batchSize = config.batchSize();
    this.flushNanos = config.flushInterval().toNanos();
    this.nextReplayNanos = System.nanoTime();
    this.writer = Thread.ofPlatform().name("usage-writer").daemon(true).unstarted(this::run);
    writer.start();
  }

  /** Reserves room for one record; false means the gateway must refuse the request (503). */
  public boolean tryReserve() {
    return !closing && slots.tryAcquire();
  }

  /** Hands over the record of a request that reserved room. Never blocks. */
  public void record(UsageRecord record) {
    queue.add(record);
    if (asleep) {
      LockSupport.unpark(writer);
    }
  }

  /** Whether the writer sleeps until a record comes (see the class comment). */
  boolean asleep() {
    return asleep;
  }

  /** Whether the writer thread still runs (it ends once {@link #close} has had it write everything). */
  boolean writing() {
    return writer.isAlive();
  }

  private void run() {
    List<UsageRecord> batch = new ArrayList<>(batchSize);
    int idle = 0;
    try {
      while (!closing || !queue.isEmpty()) {
        boolean replayDue = replayDue();
        UsageRecord next;
        while (batch.size() < batchSize && (next = queue.poll()) != null) {
          batch.add(next);
        }
        if (batch.isEmpty()) {
          idle++;
        } else {
          idle = 0;
          store(batch);
          slots.release(batch.size());
          batch.clear();
        }
        if (replayDue) {
          replayOneBatch();
        } else if (queue.isEmpty() && !closing) {
          if (idle >= IDLE_ROUNDS && spool.isEmpty()) {
            sleepUntilARecord();
            idle = 0;
          } else {
            LockSupport.parkNanos(flushNanos);
          }
        }
      }
      while (!givingUp && !databaseDown && !spool.isEmpty() && replayOneBatch()) {
        // drain what the database will take now; the rest waits for the next start
      }
    } catch (InterruptedException e) {
      batch.addAll(queue);
      spoolBeforeExit(batch);
    } finally {
      if (!spool.isEmpty()) {
        log.warn("usage records remain in {}; they are written to the database after the next start", spool.file());
      }
      spool.close();
    }
  }

  private void sleepUntilARecord() {
    asleep = true;
    while (queue.isEmpty() && !closing) {
      LockSupport.park(this);
    }
    asleep = false;
  }

  private boolean replayDue() {
    return !givingUp && !spool.isEmpty() && System.nanoTime() - nextReplayNanos >= 0;
  }

  private void store(List<UsageRecord> batch) throws InterruptedException {
    long backoff = 100;
    List<UsageRecord> unwritten = batch;
    while (true) {
      if (!databaseDown && !givingUp) {
        unwritten = write(unwritten);
        if (unwritten.isEmpty()) {
          return;
        }
      }
      try {
        spool.append(unwritten);
        meters.spooled().accept(unwritten.size());
        return;
      } catch (IOException e) {
        if (givingUp) {
          log.error("{} usage records were lost at shutdown: the database and the spool {} both failed: {}",
              unwritten.size(), spool.file(), e.getMessage());
          return;
        }
        log.error("cannot spool {} usage records to {} either, retrying in {} ms: {}", unwritten.size(),
            spool.file(), backoff, e.getMessage());
      }
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      // with the spool failing, the database is the only way out: try it again each round
      databaseDown = false;
    }
  }

  /**
   * Writes the records, setting aside those the database refuses (see the class comment). Returns
   * the records not written because the database went away meanwhile (empty when all are done),
   * in their order.
   */
  private List<UsageRecord> write(List<UsageRecord> records) {
    try {
      repository.insertAll(records);
      return List.of();
    } catch (RecordsRefused e) {
      if (records.size() == 1) {
        setAside(records.getFirst(), e);
        return List.of();
      }
      int half = records.size() / 2;
      List<UsageRecord> left = write(records.subList(0, half));
      if (!left.isEmpty()) {
        List<UsageRecord> unwritten = new ArrayList<>(left);
        unwritten.addAll(records.subList(half, records.size()));
        return unwritten;
      }
      return write(records.subList(half, records.size()));
    } catch (RuntimeException e) {
      databaseDown(e);
      return records;
    }
  }

  private void setAside(UsageRecord record, RecordsRefused refusal) {
    String reason = refusal.getMessage();
    if (!spool.isEmpty()) {
      setAside.add(record.id());
    }
    meters.setAside().accept(1);
    try {
      deadLetters.append(record, refusal.sqlState(), reason);
      log.warn("the database refuses the usage record of request {} ({}); set aside in {}", record.requestId(),
          reason, deadLetters.file());
    } catch (IOException e) {
      log.error("the database refuses the usage record of request {} ({}) and writing it to {} failed ({});"
          + " the record: {}", record.requestId(), reason, deadLetters.file(), e.getMessage(), record);
    }
  }

  /** One batch from the spool into the database; false when it failed (retried in a second). */
  private boolean replayOneBatch() {
    try {
      UsageSpool.Chunk chunk = spool.read(batchSize);
      List<UsageRecord> pending = chunk.records().stream().filter(r -> !setAside.contains(r.id())).toList();
      if (!pending.isEmpty() && !write(pending).isEmpty()) {
        return false;
      }
      spool.consumed(chunk);
      if (spool.isEmpty()) {
        setAside.clear();
      }
      if (databaseDown) {
        log.info("database is back; replaying spooled usage records from {}", spool.file());
        databaseDown = false;
      }
      return true;
    } catch (IOException e) {
      log.error("reading the usage spool {} failed, retrying in 1 s: {}", spool.file(), e.getMessage());
      nextReplayNanos = System.nanoTime() + REPLAY_RETRY_NANOS;
      return false;
    } catch (RuntimeException e) {
      databaseDown(e);
      return false;
    }
  }

  private void databaseDown(RuntimeException e) {
    if (!databaseDown) {
      log.warn("the database cannot take usage records; spooling them to {} until it is back: {}", spool.file(),
          e.getMessage());
    }
    databaseDown = true;
    nextReplayNanos = System.nanoTime() + REPLAY_RETRY_NANOS;
  }

  private void spoolBeforeExit(List<UsageRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      spool.append(batch);
      meters.spooled().accept(batch.size());
    } catch (IOException e) {
      log.error("{} usage records were lost at shutdown: the database and the spool {} both failed: {}",
          batch.size(), spool.file(), e.getMessage());
    }
  }

  /**
   * Stops taking new requests and waits for queued records to be written: to the database, or,
   * once {@code wait} has passed, to the spool (a second {@code wait} at most).
   */
  public void close(Duration wait) {
    closing = true;
    LockSupport.unpark(writer);
    try {
      writer.join(wait.toMillis());
      if (writer.isAlive()) {
        // Not an interrupt: the spool's FileChannel would close itself on one.
        givingUp = true;
        writer.join(wait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.error("{} usage records were not written before shutdown", queue.size());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
