package io.tokenrouter.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What was already spent or used in a period, from the durable record, to start a counter that
 * does not exist yet (a new period, a restarted instance, a Redis that lost its data). Blocking.
 */
public interface UsageBaseline {
  BigDecimal spentByKey(UUID keyId, Instant from);

  BigDecimal spentByUser(UUID userId, Instant from);

  long tokensOfUser(UUID userId, Instant from);
}
