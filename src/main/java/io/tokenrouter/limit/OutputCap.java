package io.tokenrouter.limit;

import io.tokenrouter.billing.TokenEstimator;

/**
 * Counts a streamed answer's text against a cap of {@code cap} output tokens, with the model's
 * tokenizer, as the deltas pass. Far from the cap each delta is counted on its own (cheap);
 * close to it the whole output is re-counted, so the cut lands exactly on the cap.
 *
 * <p>One per stream, used on its event loop.
 */
final class OutputCap {
  /** Token boundaries can merge across deltas; re-count exactly once this close to the cap. */
  private static final int EXACT_MARGIN = 8;
  private final TokenEstimator tokenizer;
  private final String model;
  private final int cap;
  private final StringBuilder output = new StringBuilder();
  private int counted;
  private boolean reached;

  OutputCap(TokenEstimator tokenizer, String model, int cap) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.cap = cap;
  }

  boolean reached() {
    return reached;
  }

  /** Output tokens passed so far. */
  int tokens() {
    return counted;
  }

  /**
   * The part of {@code delta} that may still be sent: all of it while under the cap, a prefix of
   * it when it reaches the cap (the cap is then {@link #reached}).
   */
  String admit(String delta) {
    if (reached) {
      return "";
    }
    int estimate = counted + tokenizer.countText(model, delta);
    if (estimate < cap - EXACT_MARGIN) {
      counted = estimate;
      output.append(delta);
      return delta;
    }
    String all = output + delta;
    int exact = tokenizer.countText(model, all);
    if (exact < cap) {
      counted = exact;
      output.append(delta);
      return delta;
    }
    reached = true;
    String kept = exact == cap ? all : tokenizer.truncate(model, all, cap);
    String keptDelta = kept.startsWith(output.toString()) ? kept.substring(output.length()) : "";
    output.setLength(0);
    output.append(kept);
    counted = tokenizer.countText(model, kept);
    return keptDelta;
  }
}
