package io.tokenrouter.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One change made through the admin API or the command line.
 *
 * @param actor who: "admin" for the admin token, "cli:<os user>" for a change made directly
 * @param action create, update or revoke
 * @param resource api_key, user or plan
 * @param details the change as a JSON object, secrets redacted
 * @param requestId the admin request's X-Request-Id, or null
 */
public record AuditEntry(UUID id, Instant createdAt, String actor, String action, String resource,
    String resourceId, String details, String requestId) {}
