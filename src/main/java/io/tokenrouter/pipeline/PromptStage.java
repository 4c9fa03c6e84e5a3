package io.tokenrouter.pipeline;

import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;

/**
 * One whole-call step of the prompt pipeline, run once per request before any target is chosen.
 * Pure: it reads the envelope and the call and returns a changed copy, or {@code in} itself when
 * it has nothing to change (so that an unchanged request keeps the client's own bytes).
 */
public interface PromptStage {
  Envelope apply(Envelope in, Call call);
}
