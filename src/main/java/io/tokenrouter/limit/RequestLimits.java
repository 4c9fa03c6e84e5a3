package io.tokenrouter.limit;

/**
 * Request limits of one caller; null means no limit of that kind.
 *
 * @param requestsPerMinute requests admitted per one-minute window
 * @param maxConcurrency requests in flight at once
 */
public record RequestLimits(Integer requestsPerMinute, Integer maxConcurrency) {
  public static final RequestLimits NONE = new RequestLimits(null, null);

  public boolean none() {
    return requestsPerMinute == null && maxConcurrency == null;
  }
}
