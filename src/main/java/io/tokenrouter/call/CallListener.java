package io.tokenrouter.call;

import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;

/**
 * Told what happens to each call, off the main line of the request path (metrics, the usage
 * record, the access log). Called on the call's event loop; must not block.
 */
public interface CallListener {
  /** An attempt is about to go to {@code target}. */
  default void routed(Call call, Target target) {
  }

  /** An attempt failed before anything reached the client; another may follow. */
  default void attemptFailed(Call call, Target target, GatewayError error) {
  }

  /** The provider's answer began to flow to the client. */
  default void replyStarted(Call call) {
  }

  /** The first generated output reached the client. */
  default void firstOutput(Call call) {
  }

  /** The call ended, whichever way. Called exactly once per call. */
  void finished(Call call, Outcome outcome);
}
