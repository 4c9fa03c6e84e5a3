package io.tokenrouter.auth;

/** The request carries no usable key: answered with 401. */
public final class AuthException extends RuntimeException {
  public AuthException(String message) {
    super(message, null, false, false);
  }
}
