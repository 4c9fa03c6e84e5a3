package io.tokenrouter.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A virtual key as stored: its hash, never the key itself.
 *
 * @param models the allowlist; empty allows every model
 */
public record StoredKey(UUID id, String name, String keyHash, String keyPrefix, List<String> models,
    boolean revoked, Instant expiresAt, Instant createdAt) {
  public StoredKey {
    models = models == null ? List.of() : List.copyOf(models);
  }
}
