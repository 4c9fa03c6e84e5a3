package io.tokenrouter.accounting;

import io.tokenrouter.call.Outcome;
import io.tokenrouter.reply.Usage;
import java.util.function.IntSupplier;

/**
 * The usage a call is charged: the provider's own report when the answer completed, else the
 * best honest figure, marked as an estimate. Providers report what the upstream said or nothing;
 * estimating is done here only.
 */
final class UsageEstimate {
  /** Characters per token of English text and code for the tokenizers providers use, roughly. */
  static final int CHARS_PER_TOKEN = 4;

  private UsageEstimate() {}

  /**
   * @param complete the answer ended normally (not broken off by an error or a departed client)
   * @param prompt counts the prompt, when the provider reported none
   */
  static Usage of(Outcome outcome, boolean complete, IntSupplier prompt) {
    Usage reported = outcome.reported();
    int output = Math.max(outcome.outputEvents(),
        (int) Math.min(Integer.MAX_VALUE, outcome.outputChars() / CHARS_PER_TOKEN));
    if (reported == null) {
      return new Usage(prompt.getAsInt(), output, 0, 0, true);
    }
    if (complete || reported.estimated()) {
      return reported;
    }
    return reported.withOutputAtLeast(output);
  }

  /** A call abandoned by its client while the provider worked on it: the prompt was paid for. */
  static Usage abandoned(IntSupplier prompt) {
    return new Usage(prompt.getAsInt(), 0, 0, 0, true);
  }
}
