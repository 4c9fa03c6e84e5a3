package io.tokenrouter.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

/**
 * Requests counted over one group of a status report; the group's fields are null where the
 * report does not group by them (and provider is null too for requests refused before any
 * provider was tried).
 *
 * @param day the UTC day's start
 * @param status the answer's HTTP status, when the report groups by it
 * @param errors the requests answered with a status of 400 or above
 */
public record StatusRow(Instant day, UUID keyId, String keyName, UUID userId, String userEmail, String project,
    String model, String provider, Integer status, long requests, long errors) {

  /** errors / requests, zero when there were none. */
  public BigDecimal errorRate() {
    return requests == 0 ? BigDecimal.ZERO
        : BigDecimal.valueOf(errors).divide(BigDecimal.valueOf(requests), 4, RoundingMode.HALF_EVEN);
  }
}
