package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tries a call's targets until one answers, like OkHttp's retry interceptor around the rest of
 * the chain: the route's strategy orders them (a conversation's pinned target first), each
 * attempt proceeds down the chain with its target and key, and a failure the next attempt may
 * cure (no connection, no first byte in time, a 5xx, 429, 529, a body that is not JSON) is
 * retried on the same target after a backoff with jitter, or after the provider's
 * {@code Retry-After} when that is short enough, and then on the next target. A 429 or a refused
 * key moves to another key of the same provider first.
 *
 * <p>A reply is only handed on once its head arrived and was accepted, before anything reached
 * the client, so a failed attempt can always be retried; once a stream has started it is the
 * client's, and a failure in it is not retried. Attempts are bounded per target, per call and
 * in time from the call's arrival; the client leaving stops everything, a pending backoff too.
 * Breakers, key pools and health scores learn from every attempt; the call keeps the
 * {@link AttemptLog} when there was more than one.
 */
public final class RetryAndFallback implements CallInterceptor {
  private static final GatewayError CANCELLED = GatewayError.of(GatewayError.Kind.UPSTREAM_ERROR, 499, "cancelled",
      "The request was cancelled because the client went away.");
  private final Vertx vertx;
  private final SessionAffinity affinity;
  private final GatewayMetrics metrics;

  public RetryAndFallback(Vertx vertx, SessionAffinity affinity, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.affinity = affinity;
    this.metrics = metrics;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Route route = call.get(Candidates.KEY).route();
    Walk walk = new Walk(call, chain, route);
    if (route.single()) {
      walk.begin(route.targets(), null, null);
      return walk.result.future();
    }
    List<Target> order = route.order(call);
    String session = route.affinity().enabled() ? affinity.session(call) : null;
    if (session == null) {
      walk.begin(order, null, null);
      return walk.result.future();
    }
    return affinity.pinned(route.name(), session, route.affinity().ttl()).compose(pin -> {
      walk.begin(pinnedFirst(route, order, pin), pin, session);
      return walk.result.future();
    });
  }

  private static List<Target> pinnedFirst(Route route, List<Target> order, Pin pin) {
    if (pin == null || route.state(order.getFirst()).id().equals(pin.target())) {
      return order;
    }
    for (int i = 1; i < order.size(); i++) {
      if (route.state(order.get(i)).id().equals(pin.target())) {
        List<Target> moved = new ArrayList<>(order);
        moved.addFirst(moved.remove(i));
        return moved;
      }
    }
    return order;
  }

  /** What is to be done about a failed attempt. */
  private enum Verdict {
    /** The target failed: again after a pause, then elsewhere. */
    RETRY,
    /** The key is rate limited: another key, or the same after its Retry-After, or elsewhere. */
    RATE_LIMITED,
    /** The provider refused the key: another key, or elsewhere. */
    KEY_REFUSED,
    /** Another attempt would fare no better (the client's own mistake) or is not wanted. */
    FINAL
  }

  static Verdict verdict(GatewayError e) {
    if (e.status() == CANCELLED.status()) {
      return Verdict.FINAL;
    }
    return switch (e.kind()) {
      case UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE, UPSTREAM_OVERLOADED -> Verdict.RETRY;
      case UPSTREAM_ERROR -> e.upstreamStatus() >= 500 ? Verdict.RETRY : Verdict.FINAL;
      case RATE_LIMITED -> e.provider() != null ? Verdict.RATE_LIMITED : Verdict.FINAL;
      case UPSTREAM_AUTH -> Verdict.KEY_REFUSED;
      default -> Verdict.FINAL;
    };
  }

  /** A provider's Retry-After (seconds or an HTTP date) in nanoseconds, or -1 when it sent none that can be read. */
  static long retryAfterNanos(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return (long) (Math.max(0, Double.parseDouble(value.strip())) * 1e9);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toNanos());
      } catch (RuntimeException notADate) {
        return -1;
      }
    }
  }

  /** One call's way through its targets. Lives on the call's event loop. */
  private final class Walk {
    private final Call call;
    private final Chain chain;
    private final Route route;
    private final RoutingConfig.Retry policy;
    private final long deadline;
    final Promise<Reply> result = Promise.promise();
    private List<Target> order;
    private Pin pin;
    private String session;
    private int index;
    private int onTarget;
    private int attempts;
    /** The last failure a provider caused; what the client is told when nothing answers. */
    private GatewayError lastUpstream;

    Walk(Call call, Chain chain, Route route) {
      this.call = call;
      this.chain = chain;
      this.route = route;
      this.policy = route.retry();
      this.deadline = call.startNanos() + policy.budget().toNanos();
    }

    void begin(List<Target> targets, Pin pinned, String sessionKey) {
      this.order = targets;
      this.pin = pinned;
      this.session = sessionKey;
      attempt();
    }

    private void attempt() {
      if (call.cancellation().cancelled()) {
        result.tryFail(CANCELLED);
        return;
      }
      Target target = order.get(index);
      TargetState state = route.state(target);
      long now = System.nanoTime();
      boolean acquired = state.breaker().tryAcquire(now);
      // every target open: the last one is tried anyway rather than fail a call no provider was
      // asked about (Envoy's panic mode; LiteLLM never cools down a model's only deployment)
      if (!acquired && (index < order.size() - 1 || attempts > 0)) {
        skip(target, state, "circuit_open");
        return;
      }
      ProviderKey key = key(state, now);
      if (key == null) {
        release(state, acquired);
        skip(target, state, state.keys().untilUsable(now) < 0 ? "keys_refused" : "keys_rate_limited");
        return;
      }
      attempts++;
      onTarget++;
      call.put(ProviderKey.CHOSEN, key);
      call.target(target);
      chain.proceed(call).onComplete(ar -> finished(target, state, key, acquired, now, ar));
    }

    /** An attempt that says nothing of the target's health gives back the probe it may have held. */
    private void release(TargetState state, boolean acquired) {
      if (acquired) {
        state.breaker().onNeutral();
      }
    }

    /** The pinned key when usable, else the next in turn; for the last target, whichever key is least bad. */
    private ProviderKey key(TargetState state, long now) {
      ProviderKey key = state.keys().pick(pin != null && pin.target().equals(state.id()) ? pin.key() : -1, now);
      return key == null && index == order.size() - 1 ? state.keys().lastResort(now) : key;
    }

    private void finished(Target target, TargetState state, ProviderKey key, boolean acquired, long started,
        AsyncResult<Reply> ar) {
      long now = System.nanoTime();
      int millis = (int) TimeUnit.NANOSECONDS.toMillis(now - started);
      if (ar.succeeded()) {
        state.breaker().onSuccess(now);
        state.stats().outcome(true);
        AttemptLog log = call.get(AttemptLog.KEY);
        if (log != null) {
          log.add(new AttemptLog.Attempt(state.id(), key.index(), 200, null, millis));
        }
        if (session != null) {
          Pin served = new Pin(state.id(), key.index());
          if (!served.equals(pin)) {
            affinity.pin(route.name(), session, served, route.affinity().ttl());
          }
        }
        result.complete(ar.result());
        return;
      }
      GatewayError error = ar.cause() instanceof GatewayError e ? e : GatewayError.of(GatewayError.Kind.INTERNAL, 500,
          "internal_error", "The gateway failed to handle this request.");
      call.attemptFailed(error);
      log().add(new AttemptLog.Attempt(state.id(), key.index(), error.upstreamStatus(), error.code(), millis));
      Verdict verdict = verdict(error);
      learn(state, key, acquired, error, verdict, now);
      if (verdict == Verdict.FINAL || call.cancellation().cancelled()) {
        result.tryFail(error);
        return;
      }
      lastUpstream = error;
      if (attempts >= policy.maxAttempts() || now - deadline >= 0) {
        result.tryFail(error);
        return;
      }
      if (verdict != Verdict.RETRY && state.keys().hasOther(key, now)) {
        retry(target, 0, error);
      } else if (verdict == Verdict.KEY_REFUSED || onTarget >= route.attemptsOn(target)) {
        next(target);
      } else {
        long retryAfter = retryAfterNanos(error.retryAfter());
        long pause = retryAfter >= 0 ? retryAfter : backoff(onTarget);
        if (retryAfter > policy.maxRetryAfter().toNanos() || now + pause - deadline >= 0) {
          next(target);
        } else {
          retry(target, pause, error);
        }
      }
    }

    private void learn(TargetState state, ProviderKey key, boolean acquired, GatewayError error, Verdict verdict,
        long now) {
      switch (verdict) {
        case RETRY -> {
          state.breaker().onFailure(now);
          state.stats().outcome(false);
        }
        case RATE_LIMITED -> {
          release(state, acquired);
          state.stats().outcome(false);
          long wait = retryAfterNanos(error.retryAfter());
          state.keys().coolDown(key, wait < 0 ? TimeUnit.SECONDS.toNanos(1) : wait, now);
        }
        case KEY_REFUSED -> {
          release(state, acquired);
          state.keys().refuse(key, error.getMessage());
        }
        case FINAL -> release(state, acquired);
      }
    }

    /** The pause before retry {@code n} of one target: doubling from the configured backoff, with jitter. */
    private long backoff(int n) {
      long base = policy.backoff().toNanos();
      long ceiling = Math.min(policy.maxBackoff().toNanos(), base << Math.min(n - 1, 20));
      return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private void retry(Target target, long pauseNanos, GatewayError why) {
      metrics.retry(target.provider(), why.code());
      // rounded up: a retry timed to a key's cool-down must not arrive before it ends
      long millis = (pauseNanos + 999_999) / 1_000_000;
      if (millis <= 0) {
        attempt();
        return;
      }
      long timer = vertx.setTimer(millis, id -> attempt());
      call.cancellation().onCancel(() -> {
        if (vertx.cancelTimer(timer)) {
          result.tryFail(CANCELLED);
        }
      });
    }

    /** Passes a target over without an attempt; the log says why ({@code circuit_open}, {@code keys_rate_limited}...). */
    private void skip(Target target, TargetState state, String why) {
      log().add(new AttemptLog.Attempt(state.id(), -1, 0, why, 0));
      next(target);
    }

    private void next(Target from) {
      index++;
      onTarget = 0;
      if (index >= order.size()) {
        // the last target is always attempted when nothing else was, so a provider's failure is known here
        result.tryFail(lastUpstream);
        return;
      }
      metrics.fallback(route.name(), from.provider(), order.get(index).provider());
      attempt();
    }

    private AttemptLog log() {
      AttemptLog log = call.get(AttemptLog.KEY);
      if (log == null) {
        log = new AttemptLog();
        call.put(AttemptLog.KEY, log);
      }
      return log;
    }
  }
}
