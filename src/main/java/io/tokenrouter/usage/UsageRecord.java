package io.tokenrouter.usage;

import io.tokenrouter.provider.Usage;
import java.time.Instant;
import java.util.UUID;

/**
 * What is kept of one request: who, which model where, how it ended, what it used, how long it
 * took. {@code provider} is null when the request never reached one (refused before routing).
 */
public record UsageRecord(
    UUID id,
    String requestId,
    UUID apiKeyId,
    String model,
    String provider,
    String upstreamModel,
    boolean stream,
    int status,
    String errorType,
    Usage usage,
    int latencyMs,
    Integer ttftMs,
    Instant createdAt) {}
