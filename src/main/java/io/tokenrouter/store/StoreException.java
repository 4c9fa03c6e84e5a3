package io.tokenrouter.store;

/** A database operation failed; the cause is the driver's exception. */
public final class StoreException extends RuntimeException {
  public StoreException(String what, Throwable cause) {
    super(what + " failed: " + cause.getMessage(), cause);
  }
}
