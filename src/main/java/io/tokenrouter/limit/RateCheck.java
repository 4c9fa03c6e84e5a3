package io.tokenrouter.limit;

import io.tokenrouter.admission.AdmissionCheck;
import io.tokenrouter.admission.CallFacts;
import io.tokenrouter.admission.Hold;
import io.tokenrouter.admission.Namespace;
import io.tokenrouter.admission.Refusal;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Request rates per key, per user and per namespace: concurrency (a leased slot), burst (requests in one
 * second), requests per minute, and tokens per minute. TPM reserves the request's estimated
 * tokens on admission and corrects the window by the actual count when the request is settled,
 * so a burst of large requests cannot all slip in before the first reports its usage.
 */
public final class RateCheck implements AdmissionCheck {
  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration MINUTE = Duration.ofMinutes(1);
  private final CounterStore counters;
  private final GatewayMetrics metrics;
  private final Duration leaseTtl;

  /**
   * @param leaseTtl how long a concurrency slot lives unless given back: longer than any request
   *     can last (its upstream deadline), so a slot is never lost while its request runs, and
   *     one held by an instance that died comes back soon after
   */
  public RateCheck(CounterStore counters, GatewayMetrics metrics, Duration leaseTtl) {
    this.counters = counters;
    this.metrics = metrics;
    this.leaseTtl = leaseTtl;
  }

  /** A party whose limits are counted: the key, or the user across its keys. */
  private record Scope(String kind, String id, String name, Limits limits) {
    String key(String what) {
      return "ratelimit:" + kind + ":" + id + ":" + what;
    }
  }

  @Override
  public boolean needsEstimate(CallFacts facts) {
    return facts.identity().keyLimits().tpm() != null || facts.identity().userLimits().tpm() != null
        || facts.namespace() != null && facts.namespace().limits().tpm() != null;
  }

  @Override
  public Future<Hold> admit(CallFacts facts) {
    List<Scope> scopes = scopes(facts.identity(), facts.namespace());
    if (scopes.isEmpty()) {
      return Future.succeededFuture(Hold.NONE);
    }
    RateHold hold = new RateHold(facts.reservedTokens());
    return admit(scopes, 0, facts, hold).map(v -> (Hold) hold).recover(err -> {
      hold.settle(Usage.NONE, BigDecimal.ZERO);
      if (err instanceof Refusal refusal) {
        hold.headers(refusal.headers());
      }
      return Future.failedFuture(err);
    });
  }

  private static List<Scope> scopes(Identity id, Namespace namespace) {
    List<Scope> scopes = new ArrayList<>(3);
    if (id.keyLimits().hasRates()) {
      scopes.add(new Scope("key", id.keyId().toString(), "this key", id.keyLimits()));
    }
    if (id.userId() != null && id.userLimits().hasRates()) {
      scopes.add(new Scope("user", id.userId().toString(), "this user", id.userLimits()));
    }
    if (namespace != null && namespace.limits().hasRates()) {
      scopes.add(new Scope("namespace", namespace.name(), "namespace " + namespace.name(), namespace.limits()));
    }
    return scopes;
  }

  private Future<Void> admit(List<Scope> scopes, int i, CallFacts facts, RateHold hold) {
    if (i == scopes.size()) {
      return Future.succeededFuture();
    }
    Scope scope = scopes.get(i);
    Limits l = scope.limits();
    return concurrency(scope, hold)
        .compose(v -> window(scope, "burst", 1, l.burst(), SECOND, hold, "requests per second"))
        .compose(v -> window(scope, "rpm", 1, l.rpm(), MINUTE, hold, "requests per minute"))
        .compose(v -> window(scope, "tpm", facts.reservedTokens(), l.tpm(), MINUTE, hold, "tokens per minute"))
        .compose(v -> admit(scopes, i + 1, facts, hold));
  }

  private Future<Void> concurrency(Scope scope, RateHold hold) {
    Integer max = scope.limits().maxConcurrency();
    if (max == null) {
      return Future.succeededFuture();
    }
    String key = "concurrency:" + scope.kind() + ":" + scope.id();
    String lease = UUID.randomUUID().toString();
    return counters.acquire(key, lease, max, leaseTtl).compose(acquired -> {
      if (!acquired) {
        metrics.rateLimited(scope.kind(), "concurrency");
        return Future.failedFuture(Refusal.rate("Too many concurrent requests: " + scope.name() + " allows " + max
            + " at once.", SECOND));
      }
      hold.leases.add(() -> counters.release(key, lease));
      return Future.succeededFuture();
    });
  }

  private Future<Void> window(Scope scope, String what, long amount, Integer limit, Duration length, RateHold hold,
      String unit) {
    if (limit == null) {
      return Future.succeededFuture();
    }
    String key = scope.key(what);
    return counters.hit(key, amount, limit, length).compose(w -> {
      hold.observe(what, w);
      if (!w.allowed()) {
        metrics.rateLimited(scope.kind(), what);
        String detail = amount > limit ? "this request alone needs " + amount
            : "used " + w.used() + ", retry in " + Math.max(1, w.resetIn().toSeconds()) + "s";
        return Future.failedFuture(Refusal.rate("Rate limit reached for " + scope.name() + " on " + unit + ": limit "
            + limit + ", " + detail + ".", w.resetIn()));
      }
      if (what.equals("tpm")) {
        hold.tpmKeys.add(key);
      }
      return Future.succeededFuture();
    });
  }

  /** The slots and reserved tokens of one request, and the tightest windows seen for headers. */
  private final class RateHold implements Hold {
    private final long reservedTokens;
    private final List<Runnable> leases = new ArrayList<>(2);
    private final List<String> tpmKeys = new ArrayList<>(2);
    private WindowResult requests;
    private WindowResult tokens;
    private boolean settled;

    RateHold(long reservedTokens) {
      this.reservedTokens = reservedTokens;
    }

    void observe(String what, WindowResult w) {
      if (what.equals("rpm") && (requests == null || w.remaining() < requests.remaining())) {
        requests = w;
      } else if (what.equals("tpm") && (tokens == null || w.remaining() < tokens.remaining())) {
        tokens = w;
      }
    }

    @Override
    public void settle(Usage usage, BigDecimal cost) {
      if (settled) {
        return;
      }
      settled = true;
      leases.forEach(Runnable::run);
      long correction = usage.totalTokens() - reservedTokens;
      if (correction != 0) {
        tpmKeys.forEach(key -> counters.adjust(key, correction));
      }
    }

    @Override
    public void headers(MultiMap headers) {
      RateHeaders.put(headers, "requests", requests);
      RateHeaders.put(headers, "tokens", tokens);
    }
  }
}
