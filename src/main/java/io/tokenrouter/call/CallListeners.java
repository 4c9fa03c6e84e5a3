package io.tokenrouter.call;

import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import java.util.List;

/** Several listeners told of every call, in order: accounting, and the router's statistics. */
public final class CallListeners implements CallListener {
  private final List<CallListener> listeners;

  public CallListeners(List<CallListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void routed(Call call, Target target) {
    for (CallListener l : listeners) {
      l.routed(call, target);
    }
  }

  @Override
  public void attemptFailed(Call call, Target target, GatewayError error) {
    for (CallListener l : listeners) {
      l.attemptFailed(call, target, error);
    }
  }

  @Override
  public void replyStarted(Call call) {
    for (CallListener l : listeners) {
      l.replyStarted(call);
    }
  }

  @Override
  public void firstOutput(Call call) {
    for (CallListener l : listeners) {
      l.firstOutput(call);
    }
  }

  @Override
  public void finished(Call call, Outcome outcome) {
    for (CallListener l : listeners) {
      l.finished(call, outcome);
    }
  }
}
