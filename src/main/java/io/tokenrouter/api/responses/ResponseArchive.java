package io.tokenrouter.api.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.store.ResponseRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responses the gateway keeps, each for the key that made it and for the configured
 * retention: written, read and deleted on worker threads (the database never runs on an event
 * loop), expired ones purged hourly. The nodes handed to {@link #save} are not changed afterwards
 * by their writer, so they are serialised on the worker.
 */
public final class ResponseArchive {
  private static final Logger log = LoggerFactory.getLogger(ResponseArchive.class);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  private final ResponseRepository repository;
  private final Executor blocking;
  private final Duration retention;
  private final Clock clock;

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
    Instant now = clock.instant();
    blocking.execute(() -> {
      try {
        repository.insert(new ResponseRepository.Stored(id, keyId, response.toString(), items.toString(), now));
      } catch (RuntimeException e) {
        log.warn("response {} could not be stored: {}", id, e.getMessage());
      }
    });
  }

  /** The response {@code id} of {@code keyId} while retained; fails with a 503 when the database cannot answer. */
  Future<Optional<ResponseRepository.Stored>> find(String id, UUID keyId) {
    Instant notBefore = clock.instant().minus(retention);
    return run(() -> repository.find(id, keyId, notBefore));
  }

  Future<Boolean> delete(String id, UUID keyId) {
    return run(() -> repository.delete(id, keyId));
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
        context.runOnContext(v -> promise.fail(GatewayError.builder(GatewayError.Kind.UNAVAILABLE, 503,
            "store_unavailable", "Stored responses cannot be read right now; retry shortly.").retryAfter("1")
            .build()));
      }
    });
    return promise.future();
  }
}
