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
 * @param savedByCache what its cache reads saved against the input price, multiplier applied
 * @param requestBytes the client's body size, for calls metered by bytes (custom routes); else null
 * @param responseBytes the bytes relayed back, for calls metered by bytes; else null
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
    Long requestBytes,
    Long responseBytes) {
  public UsageRecord {
    // Spool lines written before costs were recorded have neither field; they cost nothing known.
    cost = cost == null ? BigDecimal.ZERO : cost;
    savedByCache = savedByCache == null ? BigDecimal.ZERO : savedByCache;
  }

  /** A record of a call metered by tokens only. */
  public UsageRecord(UUID id, String requestId, UUID apiKeyId, UUID userId, String project, String model,
      String provider, String upstreamModel, boolean stream, int status, String errorType, Usage usage, BigDecimal cost,
      BigDecimal savedByCache, int latencyMs, Integer ttftMs, Instant createdAt) {
    this(id, requestId, apiKeyId, userId, project, model, provider, upstreamModel, stream, status, errorType, usage,
        cost, savedByCache, latencyMs, ttftMs, createdAt, null, null);
  }
}
