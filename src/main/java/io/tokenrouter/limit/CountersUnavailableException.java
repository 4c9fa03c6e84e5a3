package io.tokenrouter.limit;

/** Limits cannot be checked and the configuration says to refuse (fail closed): a 503. */
public final class CountersUnavailableException extends RuntimeException {
  public CountersUnavailableException(Throwable cause) {
    super("rate limit counters are unavailable: " + cause.getMessage(), cause, false, false);
  }
}
