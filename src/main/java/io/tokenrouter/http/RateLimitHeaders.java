package io.tokenrouter.http;

import io.tokenrouter.limit.WindowResult;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI's {@code x-ratelimit-*-requests} headers, from the window that admitted or refused. */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  static void put(HttpServerResponse response, WindowResult requests) {
    if (requests == null) {
      return;
    }
    response.putHeader("x-ratelimit-limit-requests", Long.toString(requests.limit()))
        .putHeader("x-ratelimit-remaining-requests", Long.toString(requests.remaining()))
        .putHeader("x-ratelimit-reset-requests", seconds(requests.resetIn().toMillis()));
  }

  /** OpenAI writes resets as durations: "1s", "6m0s", "20ms". */
  private static String seconds(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long s = (millis + 999) / 1000;
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }
}
