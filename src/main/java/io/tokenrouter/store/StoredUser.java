package io.tokenrouter.store;

import io.tokenrouter.caller.Limits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A user as stored. Null overrides fall back to the plan.
 *
 * @param quotaLimit monthly token quota overriding the plan's, or null
 * @param priceMultiplier price multiplier overriding the plan's (negotiated pricing), or null
 * @param limits limits that apply across all the user's keys
 */
public record StoredUser(UUID id, String email, String name, String plan, Long quotaLimit,
    BigDecimal priceMultiplier, Limits limits, Instant createdAt) {
  public StoredUser {
    limits = limits == null ? Limits.NONE : limits;
  }
}
