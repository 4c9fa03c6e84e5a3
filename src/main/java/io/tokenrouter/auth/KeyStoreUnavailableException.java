package io.tokenrouter.auth;

/** The key could not be checked because the database did not answer: answered with 503. */
public final class KeyStoreUnavailableException extends RuntimeException {
  public KeyStoreUnavailableException(String why) {
    super("keys cannot be looked up: " + why, null, false, false);
  }
}
