package io.tokenrouter.pipeline;

import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.Target;

/**
 * One step of the prompt pipeline that depends on where the request goes, run for each attempt
 * once its target is known. Pure, like {@link PromptStage}: {@code in} itself when nothing
 * changes.
 */
public interface TargetStage {
  Envelope apply(Envelope in, Call call, Target target);
}
