package io.tokenrouter.store;

import io.tokenrouter.caller.Limits;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A virtual key as stored: its hash, never the key itself.
 *
 * @param models the allowlist, as glob patterns ({@code gpt-4o*}); empty allows every model
 * @param revoked refused for good
 * @param userId the owning user, or null for a key that belongs to nobody
 * @param project a free-form project label for per-project reports, or null
 * @param limits what this key narrows its user's plan to
 * @param disabled refused until enabled again
 * @param pipelineOff the prompt pipeline stages turned off for this key's requests, by name
 */
public record StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models,
    boolean revoked, Instant expiresAt, Instant createdAt, UUID userId, String project, Limits limits,
    boolean disabled, List<String> pipelineOff) {
  public StoredKey {
    models = models == null ? List.of() : List.copyOf(models);
    limits = limits == null ? Limits.NONE : limits;
    pipelineOff = pipelineOff == null ? List.of() : List.copyOf(pipelineOff);
  }

  /** An enabled key that leaves every prompt pipeline stage on. */
  public StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models, boolean revoked,
      Instant expiresAt, Instant createdAt, UUID userId, String project, Limits limits) {
    this(id, name, keyHash, keyPrefix, models, revoked, expiresAt, createdAt, userId, project, limits, false, null);
  }

  /** active, disabled, revoked or expired (at {@code now}); what listings and filters call it. */
  public KeyState state(Instant now) {
    if (revoked) {
      return KeyState.REVOKED;
    }
    if (disabled) {
      return KeyState.DISABLED;
    }
    return expiresAt != null && !now.isBefore(expiresAt) ? KeyState.EXPIRED : KeyState.ACTIVE;
  }
}
