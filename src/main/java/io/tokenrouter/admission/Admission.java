package io.tokenrouter.admission;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checks in order. A refusal gives back what the earlier checks reserved; an admitted
 * request gets an {@link Admitted} that settles every hold once, when the request ends.
 */
public final class Admission {
  private final List<AdmissionCheck> checks;

  public Admission(List<AdmissionCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Whether any check needs the estimates for this caller (they cost a tokenizer pass). */
  public boolean needsEstimate(CallFacts facts) {
    for (AdmissionCheck c : checks) {
      if (c.needsEstimate(facts)) {
        return true;
      }
    }
    return false;
  }

  public Future<Admitted> admit(CallFacts facts) {
    return next(facts, 0, new ArrayList<>(checks.size()));
  }

  private Future<Admitted> next(CallFacts facts, int i, List<Hold> held) {
    if (i == checks.size()) {
      return Future.succeededFuture(new Admitted(held));
    }
    return checks.get(i).admit(facts).transform(ar -> {
      if (ar.succeeded()) {
        held.add(ar.result());
        return next(facts, i + 1, held);
      }
      Admitted partial = new Admitted(held);
      partial.settle(Usage.NONE, BigDecimal.ZERO);
      Refusal refusal = ar.cause() instanceof Refusal r ? r : unavailable();
      partial.headers(refusal.headers());
      return Future.failedFuture(refusal);
    });
  }

  private static Refusal unavailable() {
    return new Refusal(503, "server_error", "limits_unavailable",
        "Limits cannot be checked right now; retry shortly.", Duration.ofSeconds(1));
  }

  /** The holds of an admitted request. Settled once; later calls do nothing. */
  public static final class Admitted {
    private final List<Hold> holds;
    private boolean settled;

    Admitted(List<Hold> holds) {
      this.holds = List.copyOf(holds);
    }

    public void headers(MultiMap headers) {
      holds.forEach(h -> h.headers(headers));
    }

    /**
     * The most output tokens the request may be sent with, or null for no bound: what its
     * reservations pay for (see {@link Hold#outputCeiling()}). The request must go upstream with
     * {@code max_tokens} no higher, or it could cost more than was reserved.
     */
    public Integer outputCeiling() {
      Integer ceiling = null;
      for (Hold h : holds) {
        ceiling = Limits.tighter(ceiling, h.outputCeiling());
      }
      return ceiling;
    }

    public void settle(Usage usage, BigDecimal cost) {
      if (!settled) {
        settled = true;
        holds.forEach(h -> h.settle(usage, cost));
      }
    }
  }
}
