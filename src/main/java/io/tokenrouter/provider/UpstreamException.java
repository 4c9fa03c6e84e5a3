package io.tokenrouter.provider;

/**
 * An upstream call failed. Carries what the client should be told (status, OpenAI error type)
 * and what the metrics should count ({@link #kind()}). No stack trace: these are expected.
 */
public final class UpstreamException extends RuntimeException {
  /** Why the call failed, as counted in {@code tokenrouter_provider_errors_total}. */
  public enum Kind { CONNECT, TIMEOUT, STATUS, PROTOCOL, STREAM_ERROR }

  private final Kind kind;
  private final int clientStatus;
  private final String errorType;
  private final String code;

  public UpstreamException(Kind kind, int clientStatus, String errorType, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.clientStatus = clientStatus;
    this.errorType = errorType;
    this.code = code;
  }

  public static UpstreamException connect(String provider, String detail) {
    return new UpstreamException(Kind.CONNECT, 502, "upstream_error", "upstream_unreachable",
        "Provider '" + provider + "' is unreachable: " + detail);
  }

  public static UpstreamException timeout(String provider, String which) {
    return new UpstreamException(Kind.TIMEOUT, 504, "upstream_error", "upstream_timeout",
        "Provider '" + provider + "' timed out (" + which + ")");
  }

  public static UpstreamException protocol(String provider, String detail) {
    return new UpstreamException(Kind.PROTOCOL, 502, "upstream_error", "upstream_bad_response",
        "Provider '" + provider + "' sent a response that could not be read: " + detail);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the client gets. */
  public int clientStatus() {
    return clientStatus;
  }

  public String errorType() {
    return errorType;
  }

  public String code() {
    return code;
  }
}
