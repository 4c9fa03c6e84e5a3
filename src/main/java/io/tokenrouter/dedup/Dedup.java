package io.tokenrouter.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.config.PipelineConfig;
import io.tokenrouter.config.PipelineConfig.Stage;
import io.tokenrouter.config.RedisConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.pipeline.PipelineReport;
import io.tokenrouter.pipeline.PromptHashes;
import io.tokenrouter.pipeline.PromptPipeline;
import io.tokenrouter.pipeline.PromptSettings;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.BufferedReply;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.routing.Candidates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identical non-streamed requests in flight at the same time share one upstream call. The first
 * one leads: it asks the provider, and its whole answer is replayed to every request that
 * arrived while it was in flight, on this instance (an in-process map) and, through Redis, on
 * others. Each request is still its own call: its own usage record (marked {@link #SHARED}), its
 * own admission holds settled, its own answer in its own API's format.
 *
 * <p>"Identical" is the prompt pipeline's full hash (everything that shapes the answer: model,
 * API, messages, tools, parameters) within one key: one caller never receives an answer to
 * another caller's request. Only deterministic requests ({@code temperature: 0}) are shared
 * unless configured: providers sample by default, and the same sampled request sent twice may be
 * meant to get two answers. Streams are never shared (an answer is replayed whole). When the
 * leader fails, or the wait runs out, each waiter asks the provider itself.
 */
public final class Dedup implements CallInterceptor {
  /** Marks a call answered with another call's upstream answer. */
  public static final Attachment<Boolean> SHARED = Attachment.named("dedup shared");
  private static final Logger log = LoggerFactory.getLogger(Dedup.class);

  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private final SharedFlights shared;
  private final GatewayMetrics metrics;
  private final boolean shareSampled;

  private Dedup(SharedFlights shared, GatewayMetrics metrics, boolean shareSampled) {
    this.shared = shared;
    this.metrics = metrics;
    this.shareSampled = shareSampled;
  }

  /** Shared across instances through Redis when it is configured, within this process otherwise. */
  public static Dedup create(Vertx vertx, RedisConfig redis, PipelineConfig.DedupConfig config,
      GatewayMetrics metrics) {
    SharedFlights shared = !redis.enabled() ? SharedFlights.NONE
        : new RedisFlights(vertx, RedisClients.create(vertx, redis), config.maxWait(), redis.timeout());
    return new Dedup(shared, metrics, config.shareSampled());
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Envelope request = call.envelope();
    PromptSettings settings = call.get(PromptPipeline.SETTINGS);
    PromptHashes hashes = call.get(PromptPipeline.HASHES);
    if (request.stream() || request.operation() != Operation.GENERATE || settings == null || hashes == null
        || !settings.on(Stage.DEDUP) || !shareSampled && sampled(request)) {
      return chain.proceed(call);
    }
    String key = key(call, hashes);
    Flight mine = new Flight();
    Flight running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return running.follow(call, chain);
    }
    if (shared == SharedFlights.NONE) {
      return lead(call, chain, key, mine, null);
    }
    String flightId = UUID.randomUUID().toString();
    return shared.claim(key, flightId).transform(claim -> {
      if (claim.failed() || claim.result() == null) {
        if (claim.failed()) {
          log.debug("dedup: Redis claim failed, asking the provider alone: {}", claim.cause().toString());
        }
        // a claim that failed may still have landed: it is ended by this flight's id all the same
        return lead(call, chain, key, mine, flightId);
      }
      String leader = claim.result();
      return shared.await(key, leader).transform(answer -> {
        SharedAnswer handed = answer.succeeded() ? decode(answer.result()) : null;
        Target target = handed == null ? null : localTarget(call, handed);
        if (target == null) {
          return lead(call, chain, key, mine, null);
        }
        BufferedReply reply = new BufferedReply(handed.events());
        flights.remove(key, mine);
        mine.finish(new Flight.Answer(reply, target));
        return Future.succeededFuture(answered(call, reply, target));
      });
    });
  }

  /** The answer another instance handed over; null when there is none or it cannot be read (the provider is asked). */
  private static SharedAnswer decode(String answer) {
    if (answer == null) {
      return null;
    }
    try {
      return SharedAnswer.decode(answer);
    } catch (RuntimeException e) {
      log.warn("dedup: an answer shared through Redis could not be read; asking the provider", e);
      return null;
    }
  }

  /** The leader: asks the provider and hands its answer to whoever waits for it. */
  private Future<Reply> lead(Call call, Chain chain, String key, Flight flight, String sharedFlight) {
    return chain.proceed(call).andThen(ar -> {
      flights.remove(key, flight);
      Flight.Answer answer = ar.succeeded() && ar.result() instanceof BufferedReply whole && call.target() != null
          ? new Flight.Answer(whole, call.target()) : null;
      flight.finish(answer);
      if (sharedFlight != null) {
        Future<Void> handed = answer == null ? shared.abandon(key, sharedFlight)
            : shared.publish(key, sharedFlight, new SharedAnswer(answer.target().provider(), answer.target().model(),
                answer.reply().events()).encode());
        handed.onFailure(e -> log.debug("dedup: could not hand over the answer through Redis: {}", e.toString()));
      }
    });
  }

  /** A waiter's answer: the shared reply, on its own call, from the target that gave it. */
  private Reply answered(Call call, BufferedReply reply, Target target) {
    call.target(target);
    call.put(SHARED, Boolean.TRUE);
    PipelineReport.note(call, "dedup", "shared");
    metrics.dedupHit(call.envelope().model());
    return reply;
  }

  /** This instance's target for the one that answered on another, or null when it has none by that name. */
  private static Target localTarget(Call call, SharedAnswer answer) {
    Candidates candidates = call.get(Candidates.KEY);
    if (candidates == null) {
      return null;
    }
    for (Target t : candidates.targets()) {
      if (t.provider().equals(answer.provider()) && t.model().equals(answer.model())) {
        return t;
      }
    }
    return null;
  }

  /** The caller's key and the request's full hash, hashed again so the key id stays out of Redis. */
  private static String key(Call call, PromptHashes hashes) {
    String scope = call.identity().keyId() + "/" + hashes.full() + (call.neutralReply() ? "/neutral" : "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Whether the request asks for a random sample: every provider samples unless told
   * {@code temperature: 0}, and two clients asking the same question at the default temperature
   * each expect an answer of their own.
   */
  private static boolean sampled(Envelope request) {
    JsonNode temperature = request.params().get("temperature");
    return temperature == null || !temperature.isNumber() || temperature.doubleValue() > 0;
  }

  /**
   * One request in flight and those waiting for it. Waiters come from any event loop; each is
   * answered on its own.
   */
  private final class Flight {
    /** A whole answer and the target that gave it; null for a flight that ended without one. */
    record Answer(BufferedReply reply, Target target) {}

    private record Waiter(Context context, Promise<Reply> promise, Call call, Chain chain) {}

    private final List<Waiter> waiters = new ArrayList<>(2);
    private boolean done;
    private Answer answer;

    Future<Reply> follow(Call call, Chain chain) {
      Promise<Reply> promise = Promise.promise();
      Waiter waiter = new Waiter(Vertx.currentContext(), promise, call, chain);
      boolean finished;
      synchronized (this) {
        finished = done;
        if (!finished) {
          waiters.add(waiter);
        }
      }
      if (finished) {
        deliver(waiter, answer);
      } else {
        call.cancellation().onCancel(() -> promise.tryFail(GatewayError.of(GatewayError.Kind.UNAVAILABLE, 499,
            "client_closed", "The client went away while its request waited for an identical one.")));
      }
      return promise.future();
    }

    void finish(Answer result) {
      List<Waiter> toAnswer;
      synchronized (this) {
        done = true;
        answer = result;
        toAnswer = List.copyOf(waiters);
        waiters.clear();
      }
      for (Waiter w : toAnswer) {
        w.context().runOnContext(v -> deliver(w, result));
      }
    }

    private void deliver(Waiter w, Answer result) {
      if (w.promise().future().isComplete()) {
        return;
      }
      if (result == null) {
        w.chain().proceed(w.call()).onComplete(w.promise());
      } else {
        w.promise().complete(answered(w.call(), result.reply(), result.target()));
      }
    }
  }
}
