package io.tokenrouter.envelope;

/** The client's request cannot be understood; answered with 400 in the client's format. */
public final class InvalidRequestException extends RuntimeException {
  private final String param;

  public InvalidRequestException(String message, String param) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The offending field's path (messages[2].content), or null. */
  public String param() {
    return param;
  }
}
