package io.tokenrouter.routing;

/**
 * Everything the router keeps about one target across calls and configuration reloads: its
 * breaker, its statistics and its provider's keys.
 *
 * @param id {@code provider/model}
 */
public record TargetState(String id, String provider, String model, CircuitBreaker breaker, TargetStats stats,
    KeyPool keys) {}
