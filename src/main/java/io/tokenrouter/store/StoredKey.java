package io.tokenrouter.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A virtual key as stored: its hash, never the key itself. Every limit and budget is nullable:
 * null means the key has no limit of that kind.
 *
 * @param models the allowlist; empty allows every model
 * @param userId the owning user, when keys are grouped by user
 * @param project a free-form project label for per-project reports
 * @param rpmLimit requests per minute
 * @param tpmLimit tokens per minute
 * @param maxConcurrency requests in flight at once
 */
public record StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models,
    boolean revoked, Instant expiresAt, Instant createdAt, UUID userId, String project, Integer rpmLimit,
    Integer tpmLimit, Integer maxConcurrency, BigDecimal dailyBudgetUsd, BigDecimal monthlyBudgetUsd) {
  public StoredKey {
    models = models == null ? List.of() : List.copyOf(models);
  }
}
