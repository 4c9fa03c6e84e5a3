package io.tokenrouter.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-way signal that the client no longer wants the answer. Whatever is still running for it
 * (an upstream request waiting for its head, a body being read) registers how to stop, and is
 * stopped at once, or immediately when registering after the fact. Used on one event loop.
 */
public final class Cancellation {
  private List<Runnable> actions;
  private boolean cancelled;

  public boolean cancelled() {
    return cancelled;
  }

  /** Runs {@code action} when cancelled (now, if already). */
  public void onCancel(Runnable action) {
    if (cancelled) {
      action.run();
      return;
    }
    if (actions == null) {
      actions = new ArrayList<>(2);
    }
    actions.add(action);
  }

  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    if (actions != null) {
      List<Runnable> run = actions;
      actions = null;
      run.forEach(Runnable::run);
    }
  }
}
