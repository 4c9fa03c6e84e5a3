package io.tokenrouter.usage;

import io.tokenrouter.reply.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What is kept of one request: who, which model where, how it ended, what it used and cost, how
 * long it took. {@code provider} is null when the request never reached one (refused before
 * routing).
 *
 * @param userId the key's user, or null for a key that belongs to nobody
 * @param project the key's project label, or null
 * @param cost what the request cost in USD, plan multiplier applied; zero when its model has no
 *     price
 * @param savedByCache what its prompt cache saved: its cache reads against the input price, less
 *     what its cache writes cost above it; multiplier applied (negative when it wrote more than it read)
 * @param dedupHit answered with the upstream call of an identical request in flight at the same time
 */
public record UsageRecord(
    UUID id,
    String requestId,
    UUID apiKeyId,
    UUID userId,
    String project,
    String model,
    String provider,
    String upstreamModel,
    boolean stream,
    int status,
    String errorType,
    Usage usage,
    BigDecimal cost,
    BigDecimal savedByCache,
    int latencyMs,
    Integer ttftMs,
    Instant createdAt,
    boolean dedupHit) {
  public UsageRecord {
    // Spool lines written before costs were recorded have neither field; they cost nothing known.
    cost = cost == null ? BigDecimal.ZERO : cost;
    savedByCache = savedByCache == null ? BigDecimal.ZERO : savedByCache;
  }

  /** A record of a request that made its own upstream call. */
  public UsageRecord(UUID id, String requestId, UUID apiKeyId, UUID userId, String project, String model,
      String provider, String upstreamModel, boolean stream, int status, String errorType, Usage usage,
      BigDecimal cost, BigDecimal savedByCache, int latencyMs, Integer ttftMs, Instant createdAt) {
    this(id, requestId, apiKeyId, userId, project, model, provider, upstreamModel, stream, status, errorType, usage,
        cost, savedByCache, latencyMs, ttftMs, createdAt, false);
  }
}
