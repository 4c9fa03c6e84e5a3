package io.tokenrouter.reply;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a call was refused or failed, in neutral terms. Every client API renders it in its own
 * shape and with its own status conventions; the message is written for the client's user and
 * names the cause and the fix. Expected, so without a stack trace.
 */
public final class GatewayError extends RuntimeException {
  /** The kind of failure; each client API maps it to its error type. */
  public enum Kind {
    INVALID_REQUEST,
    AUTHENTICATION,
    PERMISSION,
    NOT_FOUND,
    REQUEST_TOO_LARGE,
    RATE_LIMITED,
    QUOTA_EXCEEDED,
    /** The gateway itself cannot serve now (saturated, a backend it needs is down). */
    UNAVAILABLE,
    /** The provider is overloaded (Anthropic's 529, a 503). */
    UPSTREAM_OVERLOADED,
    UPSTREAM_UNREACHABLE,
    UPSTREAM_TIMEOUT,
    /** The provider answered something that cannot be read (truncated, not JSON, broken stream). */
    UPSTREAM_BAD_RESPONSE,
    /** The provider refused the gateway's own credentials. */
    UPSTREAM_AUTH,
    /** Any other provider failure. */
    UPSTREAM_ERROR,
    INTERNAL
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final String param;
  private final String retryAfter;
  private final Map<String, String> headers;
  private final String provider;
  private final int upstreamStatus;

  private GatewayError(Builder b) {
    super(b.message, null, false, false);
    this.kind = b.kind;
    this.status = b.status;
    this.code = b.code;
    this.param = b.param;
    this.retryAfter = b.retryAfter;
    this.headers = Map.copyOf(b.headers);
    this.provider = b.provider;
    this.upstreamStatus = b.upstreamStatus;
  }

  public static Builder builder(Kind kind, int status, String code, String message) {
    return new Builder(kind, status, code, message);
  }

  public static GatewayError of(Kind kind, int status, String code, String message) {
    return builder(kind, status, code, message).build();
  }

  public static GatewayError invalid(String message, String param) {
    return builder(Kind.INVALID_REQUEST, 400, "invalid_request", message).param(param).build();
  }

  public static GatewayError unreachable(String provider, String detail) {
    return builder(Kind.UPSTREAM_UNREACHABLE, 502, "upstream_unreachable",
        "Provider '" + provider + "' is unreachable: " + detail).provider(provider).build();
  }

  public static GatewayError timeout(String provider, String which) {
    return builder(Kind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
        "Provider '" + provider + "' timed out (" + which + ")").provider(provider).build();
  }

  public static GatewayError badResponse(String provider, String detail) {
    return builder(Kind.UPSTREAM_BAD_RESPONSE, 502, "upstream_bad_response",
        "Provider '" + provider + "' sent a response that could not be read: " + detail).provider(provider).build();
  }

  /** A provider reported an error in the middle of a stream (Anthropic's {@code error} event, say). */
  public static GatewayError midStream(String provider, String detail) {
    return builder(Kind.UPSTREAM_ERROR, 502, "upstream_stream_error",
        "Provider '" + provider + "' failed mid-stream: " + detail).provider(provider).build();
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status in neutral terms; a client API may render some differently (529 outside Anthropic's). */
  public int status() {
    return status;
  }

  /** A stable machine-readable code ({@code model_not_found}, {@code upstream_timeout}...). */
  public String code() {
    return code;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }

  /** The {@code Retry-After} value to send, as the provider sent it or as the gateway computed it; or null. */
  public String retryAfter() {
    return retryAfter;
  }

  /** Other headers the client gets with this error (OpenAI's {@code x-ratelimit-*}). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The provider that failed, or null when the gateway refused the call itself. */
  public String provider() {
    return provider;
  }

  /** The provider's HTTP status, or 0 when none was received. */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  /** Builds an error; everything but kind, status, code and message is optional. */
  public static final class Builder {
    private final Kind kind;
    private final int status;
    private final String code;
    private final String message;
    private String param;
    private String retryAfter;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String provider;
    private int upstreamStatus;

    private Builder(Kind kind, int status, String code, String message) {
      this.kind = kind;
      this.status = status;
      this.code = code;
      this.message = message;
    }

    public Builder param(String param) {
      this.param = param;
      return this;
    }

    public Builder retryAfter(String value) {
      this.retryAfter = value;
      return this;
    }

    /** Whole seconds, rounded up and at least one: a client that waits that long can succeed. */
    public Builder retryAfter(Duration wait) {
      this.retryAfter = wait == null ? null : Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Builder headers(Map<String, String> more) {
      headers.putAll(more);
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder upstreamStatus(int status) {
      this.upstreamStatus = status;
      return this;
    }

    public GatewayError build() {
      return new GatewayError(this);
    }
  }
}
