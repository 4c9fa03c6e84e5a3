package io.tokenrouter.api.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.store.ResponseRepository;
import io.tokenrouter.store.ResponseRepository.Stored;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responses the gateway keeps, each for the key that made it and for the configured
 * retention: written, read and deleted on worker threads (the database never runs on an event
 * loop), expired ones purged hourly. The nodes handed to {@link #save} are not changed afterwards
 * by their writer, so they are serialised on the worker.
 *
 * <p>Saves and deletes are written in the order they come by one drain at a time: the first
 * write starts a drain on a worker, which waits {@link #LINGER} for more before it writes, and
 * whatever comes meanwhile joins its batch, in one transaction. Without the wait a drain found
 * one or two saves at a few thousand requests a second, and the event loop still started a
 * worker for nearly every request. A save on every Responses request had cost a worker's wake-up and a
 * transaction of its own each, about 57 µs of CPU a request, more than the event loop's part of
 * a chat request (bench/RESULTS.md). Until it is written a response is answered from memory,
 * so a {@code previous_response_id} sent the moment the answer ends finds it.
 */
public final class ResponseArchive {
  private static final Logger log = LoggerFactory.getLogger(ResponseArchive.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  /** Saves waiting beyond this mean the database is not keeping up: new responses are then not kept. */
  static final int MAX_UNWRITTEN = 4_096;
  private static final int BATCH = 100;
  /** How long a drain waits for more writes before it starts: on a virtual thread, no thread is held. */
  private static final Duration LINGER = Duration.ofMillis(10);
  private final ResponseRepository repository;
  private final Executor blocking;
  private final Duration retention;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
  /** Saved and not yet in the database (or given up on): what {@link #find} answers from meanwhile. */
  private final ConcurrentHashMap<String, Save> unwritten = new ConcurrentHashMap<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  private sealed interface Write permits Save, Delete {}

  private record Save(String id, UUID keyId, ObjectNode response, ArrayNode items, Instant createdAt)
      implements Write {
    Stored stored() {
      return new Stored(id, keyId, response.toString(), items.toString(), createdAt);
    }
  }

  private record Delete(String id, UUID keyId, Context context, Promise<Boolean> done) implements Write {}

  public ResponseArchive(ResponseRepository repository, Executor blocking, Duration retention, Clock clock) {
    this.repository = repository;
    this.blocking = blocking;
    this.retention = retention;
    this.clock = clock;
  }

  /** Purges expired responses now and then every hour, on a worker thread. */
  public void purgePeriodically(Vertx vertx) {
    Runnable purge = () -> blocking.execute(() -> {
      try {
        int deleted = repository.deleteOlderThan(clock.instant().minus(retention));
        if (deleted > 0) {
          log.info("purged {} stored responses older than {}", deleted, retention);
        }
      } catch (RuntimeException e) {
        log.warn("purging stored responses failed: {}", e.getMessage());
      }
    });
    purge.run();
    vertx.setPeriodic(PURGE_EVERY.toMillis(), id -> purge.run());
  }

  void save(String id, UUID keyId, ObjectNode response, ArrayNode items) {
    if (unwritten.size() >= MAX_UNWRITTEN) {
      log.warn("response {} is not kept: {} responses already wait for the database", id, MAX_UNWRITTEN);
      return;
    }
    Save save = new Save(id, keyId, response, items, clock.instant());
    unwritten.put(id, save);
    submit(save);
  }

  /** The response {@code id} of {@code keyId} while retained; fails with a 503 when the database cannot answer. */
  Future<Optional<Stored>> find(String id, UUID keyId) {
    Instant notBefore = clock.instant().minus(retention);
    Save waiting = unwritten.get(id);
    if (waiting != null) {
      // removed only once committed: a miss here means the database has it, or never had it
      boolean visible = Objects.equals(waiting.keyId(), keyId) && !waiting.createdAt().isBefore(notBefore);
      return Future.succeededFuture(visible ? Optional.of(waiting.stored()) : Optional.empty());
    }
    return run(() -> repository.find(id, keyId, notBefore));
  }

  Future<Boolean> delete(String id, UUID keyId) {
    Promise<Boolean> done = Promise.promise();
    submit(new Delete(id, keyId, Vertx.currentContext(), done));
    return done.future();
  }

  /** Waits, at most {@code wait}, for what was handed over to be written: before the database closes. */
  public void close(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while ((draining.get() || !writes.isEmpty()) && System.nanoTime() - deadline < 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!unwritten.isEmpty()) {
      log.warn("{} stored responses were not written before shutdown", unwritten.size());
    }
  }

  private void submit(Write write) {
    writes.add(write);
    if (draining.compareAndSet(false, true)) {
      blocking.execute(this::drain);
    }
  }

  private void drain() {
    LockSupport.parkNanos(LINGER.toNanos());
    List<Save> batch = new ArrayList<>();
    do {
      Write write;
      while ((write = writes.poll()) != null) {
        if (write instanceof Save save) {
          batch.add(save);
          if (batch.size() == BATCH) {
            insert(batch);
          }
        } else if (write instanceof Delete delete) {
          // every save that came before it is written first, so the delete finds it
          insert(batch);
          delete(delete);
        }
      }
      insert(batch);
      draining.set(false);
      // a write that came after the last poll and saw the drain still running is ours to take
    } while (!writes.isEmpty() && draining.compareAndSet(false, true));
  }

  private void insert(List<Save> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      repository.insertAll(batch.stream().map(Save::stored).toList());
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        log.warn("response {} could not be stored: {}", batch.getFirst().id(), e.getMessage());
      } else {
        // one response the database refuses must not cost the others theirs
        batch.forEach(save -> insert(new ArrayList<>(List.of(save))));
      }
    }
    batch.forEach(save -> unwritten.remove(save.id(), save));
    batch.clear();
  }

  private void delete(Delete delete) {
    try {
      boolean deleted = repository.delete(delete.id(), delete.keyId());
      delete.context().runOnContext(v -> delete.done().complete(deleted));
    } catch (RuntimeException e) {
      log.warn("stored responses unavailable: {}", e.getMessage());
      delete.context().runOnContext(v -> delete.done().fail(unavailable()));
    }
  }

  private <T> Future<T> run(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    Context context = Vertx.currentContext();
    blocking.execute(() -> {
      try {
        T value = work.call();
        context.runOnContext(v -> promise.complete(value));
      } catch (Exception e) {
        log.warn("stored responses unavailable: {}", e.getMessage());
        context.runOnContext(v -> promise.fail(unavailable()));
      }
    });
    return promise.future();
  }

  private static GatewayError unavailable() {
    return GatewayError.builder(GatewayError.Kind.UNAVAILABLE, 503, "store_unavailable",
        "Stored responses cannot be read right now; retry shortly.").retryAfter("1").build();
  }
}
