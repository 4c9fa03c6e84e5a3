package io.tokenrouter.auth;

import io.tokenrouter.limit.RequestLimits;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Who is calling: the virtual key that authenticated the request, the user and project it
 * belongs to, and what it may use.
 *
 * @param allowedModels model names the key may call; empty allows every model
 * @param limits the key's request limits
 * @param userId the owning user, or null for a key that belongs to nobody
 * @param project the key's project label, or null
 * @param plan the owning user's plan (free, pro, enterprise), or null without a user
 * @param priceMultiplier what the user's plan multiplies provider prices by (1 without a user)
 */
public record Identity(UUID keyId, String keyName, String keyPrefix, List<String> allowedModels,
    RequestLimits limits, UUID userId, String project, String plan, BigDecimal priceMultiplier) {
  public Identity {
    allowedModels = List.copyOf(allowedModels);
    priceMultiplier = priceMultiplier == null ? BigDecimal.ONE : priceMultiplier;
  }

  public boolean mayUse(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }
}
