package io.tokenrouter.api.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.store.ResponseRepository;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stored responses' writes: batched by one drain at a time, answered from memory until
 * written, deletes in order with the saves before them. The drain runs when the test pumps it.
 */
class ResponseArchiveTest {
  private final TestDatabase db = TestDatabases.h2();
  private final ResponseRepository repository = new ResponseRepository(db.dataSource());
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ResponseArchive archive = new ResponseArchive(repository, tasks::add, Duration.ofDays(30),
      Clock.systemUTC());
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final UUID key = UUID.randomUUID();

  @AfterEach
  void close() {
    vertx.close().await();
    db.drop();
  }

  private void pump() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
  }

  /** Runs {@code call} on a Vert.x context, as the API does, pumping the workers until it completes. */
  private <T> T onContext(Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> call.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!result.isDone() && System.nanoTime() < deadline) {
      pump();
      Thread.sleep(1);
    }
    return result.get();
  }

  private void save(String id, UUID by) {
    ObjectNode response = Json.MAPPER.createObjectNode().put("id", id).put("object", "response");
    ArrayNode items = Json.MAPPER.createArrayNode();
    items.addObject().put("type", "message").put("role", "user").put("content", "hi");
    archive.save(id, by, response, items);
  }

  private Optional<ResponseRepository.Stored> inDatabase(String id) {
    return repository.find(id, key, Instant.EPOCH);
  }

  @Test
  void aResponseIsFoundTheMomentItIsSavedAndStillOnceWritten() throws Exception {
    save("resp_1", key);

    assertThat(tasks).hasSize(1);
    assertThat(inDatabase("resp_1")).isEmpty();
    assertThat(onContext(() -> archive.find("resp_1", key))).hasValueSatisfying(found -> {
      assertThat(found.response()).contains("\"id\":\"resp_1\"");
      assertThat(found.items()).contains("\"content\":\"hi\"");
    });

    pump();

    assertThat(inDatabase("resp_1")).isPresent();
    assertThat(onContext(() -> archive.find("resp_1", key))).isPresent();
  }

  @Test
  void savesThatComeBeforeTheDrainRunsAreWrittenByThatOneDrain() {
    for (int i = 0; i < 5; i++) {
      save("resp_" + i, key);
    }

    assertThat(tasks).as("one worker started for five saves").hasSize(1);
    pump();

    for (int i = 0; i < 5; i++) {
      assertThat(inDatabase("resp_" + i)).isPresent();
    }
  }

  @Test
  void anUnwrittenResponseIsHiddenFromAnotherKey() throws Exception {
    save("resp_1", key);

    assertThat(onContext(() -> archive.find("resp_1", UUID.randomUUID()))).isEmpty();
  }

  @Test
  void aDeleteRemovesAResponseSavedBeforeItEvenWhenNotYetWritten() throws Exception {
    save("resp_1", key);

    assertThat(onContext(() -> archive.delete("resp_1", key))).isTrue();

    assertThat(inDatabase("resp_1")).isEmpty();
    assertThat(onContext(() -> archive.find("resp_1", key))).isEmpty();
  }

  @Test
  void aResponseTheDatabaseRefusesDoesNotCostTheOthersTheirs() {
    save("resp_1", key);
    save("resp_refused", null);
    save("resp_2", key);

    pump();

    assertThat(inDatabase("resp_1")).isPresent();
    assertThat(inDatabase("resp_2")).isPresent();
    assertThat(repository.find("resp_refused", null, Instant.EPOCH)).isEmpty();
  }

  @Test
  void closingWaitsForWhatWasHandedOver() {
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    ResponseArchive real = new ResponseArchive(repository, workers, Duration.ofDays(30), Clock.systemUTC());
    for (int i = 0; i < 300; i++) {
      real.save("resp_" + i, key, Json.MAPPER.createObjectNode().put("id", i), Json.MAPPER.createArrayNode());
    }

    real.close(Duration.ofSeconds(10));
    workers.shutdown();

    for (int i = 0; i < 300; i++) {
      assertThat(inDatabase("resp_" + i)).as("resp_" + i).isPresent();
    }
  }
}
