package io.tokenrouter.limit;

import io.vertx.core.MultiMap;

/** OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers. */
final class RateHeaders {
  private RateHeaders() {}

  static void put(MultiMap headers, String unit, WindowResult window) {
    if (window == null) {
      return;
    }
    headers.set("x-ratelimit-limit-" + unit, Long.toString(window.limit()))
        .set("x-ratelimit-remaining-" + unit, Long.toString(window.remaining()))
        .set("x-ratelimit-reset-" + unit, duration(window.resetIn().toMillis()));
  }

  /** OpenAI writes resets as durations: "20ms", "1s", "6m0s". */
  static String duration(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long s = (millis + 999) / 1000;
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }
}
