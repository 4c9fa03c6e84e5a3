package io.tokenrouter.store;

import io.tokenrouter.caller.Limits;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A virtual key as stored: its hash, never the key itself.
 *
 * @param models the allowlist, as glob patterns ({@code gpt-4o*}); empty allows every model
 * @param userId the owning user, or null for a key that belongs to nobody
 * @param project a free-form project label for per-project reports, or null
 * @param limits what this key narrows its user's plan to
 * @param pipelineOff the prompt pipeline stages turned off for this key's requests, by name
 */
public record StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models,
    boolean revoked, Instant expiresAt, Instant createdAt, UUID userId, String project, Limits limits,
    List<String> pipelineOff) {
  public StoredKey {
    models = models == null ? List.of() : List.copyOf(models);
    limits = limits == null ? Limits.NONE : limits;
    pipelineOff = pipelineOff == null ? List.of() : List.copyOf(pipelineOff);
  }

  /** A key that leaves every prompt pipeline stage on. */
  public StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models, boolean revoked,
      Instant expiresAt, Instant createdAt, UUID userId, String project, Limits limits) {
    this(id, name, keyHash, keyPrefix, models, revoked, expiresAt, createdAt, userId, project, limits, null);
  }
}
