package io.tokenrouter.store;

/** A write would duplicate a unique value (an email, a plan name): the caller's data, not an outage. */
public final class ConflictException extends RuntimeException {
  public ConflictException(String what, Throwable cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
