package io.tokenrouter.admission;

import io.vertx.core.MultiMap;
import java.time.Duration;

/** A check refused the request: the status, OpenAI error type and code, and the headers to send. */
public final class Refusal extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final Duration retryAfter;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

  public Refusal(int status, String type, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** 429 for a rate: retry once the window has moved on. */
  public static Refusal rate(String message, Duration retryAfter) {
    return new Refusal(429, "rate_limit_error", "rate_limit_exceeded", message, retryAfter);
  }

  /** 429 for a spent budget or quota (OpenAI's insufficient_quota). */
  public static Refusal quota(String code, String message, Duration retryAfter) {
    return new Refusal(429, "insufficient_quota", code, message, retryAfter);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  /** When a retry can succeed, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public MultiMap headers() {
    return headers;
  }
}
