package io.tokenrouter.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A usage report: the rows of daily_usage from {@code from} (inclusive) to {@code to}
 * (exclusive), both UTC day boundaries, filtered where a filter is not null, grouped by
 * {@code groupBy} (empty: one row of totals).
 */
public record UsageQuery(List<UsageDimension> groupBy, Instant from, Instant to, UUID keyId, UUID userId,
    String project, String model, String provider, int offset, int limit) {
  public UsageQuery {
    groupBy = List.copyOf(groupBy);
  }
}
