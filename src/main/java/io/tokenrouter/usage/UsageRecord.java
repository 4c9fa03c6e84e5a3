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
 * <p>Every text is made storable on construction ({@link StorableText#fit}: no NUL, no unpaired
 * surrogate, cut to its column in {@code requests}), whether the record comes from a request or
 * from a spool line written by an earlier version, so the spool and the database always take it.
 *
 * @param userId the key's user, or null for a key that belongs to nobody
 * @param project the key's project label, or null
 * @param cost what the request cost in USD, plan multiplier applied; zero when its model has no
 *     price
 * @param savedByCache what its prompt cache saved: its cache reads against the input price, less
 *     what its cache writes cost above it; multiplier applied (negative when it wrote more than it read)
 * @param requestBytes the client's body size, for calls metered by bytes (custom routes); else null
 * @param responseBytes the bytes relayed back, for calls metered by bytes; else null
 * @param dedupHit answered with the upstream call of an identical request in flight at the same time
 * @param attempts its attempts as a JSON array (target, key, status, error, latency) when it
 *     took more than one or its only one failed; null when its first attempt served it
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
    Long responseBytes,
    boolean dedupHit,
    String attempts) {
  /** Widths of the text columns of {@code requests}. */
  private static final int ID_WIDTH = 64;
  private static final int NAME_WIDTH = 100;
  private static final int PROVIDER_WIDTH = 64;
  /** A call makes few attempts (routing.retry.max_attempts), so this is never reached in practice. */
  private static final int ATTEMPTS_WIDTH = 4000;

  public UsageRecord {
    requestId = StorableText.fit(requestId, ID_WIDTH);
    project = StorableText.fit(project, NAME_WIDTH);
    model = StorableText.fit(model, NAME_WIDTH);
    provider = StorableText.fit(provider, PROVIDER_WIDTH);
    upstreamModel = StorableText.fit(upstreamModel, NAME_WIDTH);
    errorType = StorableText.fit(errorType, PROVIDER_WIDTH);
    attempts = StorableText.fit(attempts, ATTEMPTS_WIDTH);
    // Spool lines written before costs were recorded have neither field; they cost nothing known.
    cost = cost == null ? BigDecimal.ZERO : cost;
    savedByCache = savedByCache == null ? BigDecimal.ZERO : savedByCache;
  }

  /** A record of a call metered by tokens only, that made its own upstream call. */
  public UsageRecord(UUID id, String requestId, UUID apiKeyId, UUID userId, String project, String model,
      String provider, String upstreamModel, boolean stream, int status, String errorType, Usage usage, BigDecimal cost,
      BigDecimal savedByCache, int latencyMs, Integer ttftMs, Instant createdAt) {
    this(id, requestId, apiKeyId, userId, project, model, provider, upstreamModel, stream, status, errorType, usage,
        cost, savedByCache, latencyMs, ttftMs, createdAt, null, null, false, null);
  }
}
