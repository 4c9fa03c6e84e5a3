package io.tokenrouter.admission;

import io.vertx.core.Future;

/**
 * One check a request passes before it goes upstream. It either admits, holding what it
 * reserved until the request is settled, or refuses by failing with a {@link Refusal}.
 */
public interface AdmissionCheck {
  Future<Hold> admit(CallFacts facts);

  /** Whether this check needs the token and cost estimates for this caller at all. */
  boolean needsEstimate(CallFacts facts);
}
