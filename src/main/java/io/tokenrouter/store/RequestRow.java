package io.tokenrouter.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One request as the recent requests log shows it.
 *
 * @param attempts its attempts as the JSON array text V10 keeps ({target, key, status, error, ms}),
 *     or null when its first attempt served it
 */
public record RequestRow(UUID id, String requestId, Instant createdAt, UUID keyId, String keyName, UUID userId,
    String project, String model, String provider, String upstreamModel, boolean stream, int status,
    String errorType, int promptTokens, int completionTokens, int cacheReadTokens, int cacheWriteTokens,
    boolean usageEstimated, BigDecimal costUsd, int latencyMs, Integer ttftMs,
    String attempts) {

  /** Whether any of the prompt was read from the provider's cache. */
  public boolean cacheHit() {
    return cacheReadTokens > 0;
  }
}
