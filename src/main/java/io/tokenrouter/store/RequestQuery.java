package io.tokenrouter.store;

import java.time.Instant;
import java.util.UUID;

/**
 * Which request records to list, newest first; null filters match everything.
 *
 * @param status one HTTP status, or null
 * @param failedOnly only requests answered with a status of 400 or above
 * @param before the cursor: records strictly older than this position (its time and id), or null
 *     for the newest
 */
public record RequestQuery(UUID keyId, UUID userId, String project, String model, Integer status,
    boolean failedOnly, Instant from, Instant to, Cursor before, int limit) {

  /** A position in the newest-first order: a record's time and id. */
  public record Cursor(Instant createdAt, UUID id) {}
}
