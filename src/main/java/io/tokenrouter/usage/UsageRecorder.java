package io.tokenrouter.usage;

import io.tokenrouter.config.UsageConfig;
import io.tokenrouter.store.RequestRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request records in batches on its own thread, so the request path never waits on the
 * database.
 *
 * <p>Nothing is dropped: a request reserves room for its record before it starts
 * ({@link #tryReserve()}); the room is given back only once the record is in the database. When
 * every slot is taken, by requests in flight or records the database has not yet accepted, new
 * requests are refused with 503. A batch that fails to write is retried, with backoff, until it
 * lands or the recorder is closed.
 */
public final class UsageRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final RequestRepository repository;
  private final Semaphore slots;
  private final LinkedBlockingQueue<UsageRecord> queue = new LinkedBlockingQueue<>();
  private final int batchSize;
  private final long flushMillis;
  private final Thread writer;
  private volatile boolean closing;

  public UsageRecorder(RequestRepository repository, UsageConfig config) {
    this.repository = repository;
    this.slots = new Semaphore(config.queueCapacity());
    this.batchSize = config.batchSize();
    this.flushMillis = config.flushInterval().toMillis();
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
  }

  /** Records reserved or queued but not yet written. */
  public int pending() {
    return queue.size();
  }

  private void run() {
    List<UsageRecord> batch = new ArrayList<>(batchSize);
    while (!closing || !queue.isEmpty()) {
      try {
        UsageRecord first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        writeUntilLanded(batch);
        slots.release(batch.size());
        batch.clear();
      } catch (InterruptedException e) {
        if (!closing) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void writeUntilLanded(List<UsageRecord> batch) throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        repository.insertAll(batch);
        return;
      } catch (RuntimeException e) {
        log.warn("writing {} usage records failed, retrying in {} ms: {}", batch.size(), backoff, e.getMessage());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Stops taking new requests and waits for queued records to be written. */
  public void close(Duration wait) {
    closing = true;
    try {
      writer.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.error("{} usage records were not written before shutdown", queue.size());
      writer.interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
