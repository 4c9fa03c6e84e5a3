package io.tokenrouter.dedup;

import io.vertx.core.Future;

/**
 * Identical requests in flight across instances: one instance claims a request and asks the
 * provider; the others wait, for a bounded time, for the answer it hands over.
 */
interface SharedFlights {
  /**
   * Claims {@code key} for {@code flight}. Succeeds with null when this instance now leads it, or
   * with the leading flight's id when another instance does. A leader ends its claim with
   * {@link #publish} or {@link #abandon}, which are also safe to call after a claim whose
   * outcome is unknown (it failed or timed out): they end it only if it is this flight's.
   */
  Future<String> claim(String key, String flight);

  /** Hands the leader's answer to the instances waiting for {@code flight}, and ends the claim. */
  Future<Void> publish(String key, String flight, String answer);

  /** Ends the claim without an answer (the call failed); waiters ask the provider themselves. */
  Future<Void> abandon(String key, String flight);

  /**
   * The answer of the other instance's {@code flight}; null when it ended without one or did not
   * answer within the wait.
   */
  Future<String> await(String key, String flight);

  /** No other instance: every claim leads. */
  SharedFlights NONE = new SharedFlights() {
    @Override
    public Future<String> claim(String key, String flight) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> publish(String key, String flight, String answer) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> abandon(String key, String flight) {
      return Future.succeededFuture();
    }

    @Override
    public Future<String> await(String key, String flight) {
      return Future.succeededFuture();
    }
  };
}
