package io.tokenrouter.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A report of answer statuses: the rows of daily_status from {@code from} (inclusive) to
 * {@code to} (exclusive), both UTC day boundaries, filtered where a filter is not null, grouped by
 * {@code groupBy} and, when {@code byStatus}, by the status itself (neither: one row of totals).
 */
public record StatusQuery(List<UsageDimension> groupBy, boolean byStatus, Instant from, Instant to, UUID keyId,
    UUID userId, String project, String model, String provider, int offset, int limit) {
  public StatusQuery {
    groupBy = List.copyOf(groupBy);
  }
}
