package io.tokenrouter.store;

import java.time.Instant;
import java.util.UUID;

/**
 * Which keys to list, newest first; null filters match everything.
 *
 * @param name part of the key's name, case ignored
 * @param now the instant {@code state} is judged at (expiry)
 */
public record KeyQuery(UUID userId, String project, KeyState state, String name, Instant now, int offset,
    int limit) {}
