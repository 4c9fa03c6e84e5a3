package io.tokenrouter.admission;

import io.tokenrouter.reply.Usage;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;

/**
 * What an admitted request holds from one check (a concurrency slot, reserved tokens or spend)
 * until it ends.
 */
public interface Hold {
  Hold NONE = (usage, cost) -> { };

  /**
   * The request ended with this usage and cost (actual, or an estimate when the provider sent
   * none; zero when it never reached a provider). Called exactly once.
   */
  void settle(Usage usage, BigDecimal cost);

  /** Response headers this check reports (OpenAI's {@code x-ratelimit-*}). */
  default void headers(MultiMap headers) {
  }

  /**
   * The most output tokens the request may ask the provider for under what this check reserved
   * (a budget pays for no more), or null when this check sets no bound.
   */
  default Integer outputCeiling() {
    return null;
  }
}
