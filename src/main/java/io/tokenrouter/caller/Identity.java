package io.tokenrouter.caller;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Who is calling: the virtual key that authenticated the request, the user and plan it belongs
 * to, and what each of them allows.
 *
 * @param models the key's model allowlist
 * @param userId the owning user, or null for a key that belongs to nobody
 * @param project the key's project label, or null
 * @param plan the owning user's plan (free, pro, enterprise), or null without a user
 * @param priceMultiplier what the user's plan multiplies provider prices by (1 without a user)
 * @param keyLimits the key's own limits
 * @param userLimits limits across all the user's keys (the plan's RPM where the user sets none)
 * @param monthlyTokenQuota the user's tokens per calendar month, or null for unlimited
 * @param pipelineOff the prompt pipeline stages this key turns off, by name
 */
public record Identity(UUID keyId, String keyName, String keyPrefix, ModelPatterns models, UUID userId,
    String project, String plan, BigDecimal priceMultiplier, Limits keyLimits, Limits userLimits,
    Long monthlyTokenQuota, List<String> pipelineOff) {
  public Identity {
    models = models == null ? ModelPatterns.ANY : models;
    priceMultiplier = priceMultiplier == null ? BigDecimal.ONE : priceMultiplier;
    keyLimits = keyLimits == null ? Limits.NONE : keyLimits;
    userLimits = userLimits == null ? Limits.NONE : userLimits;
    pipelineOff = pipelineOff == null ? List.of() : List.copyOf(pipelineOff);
  }

  /** A caller whose key leaves every prompt pipeline stage on. */
  public Identity(UUID keyId, String keyName, String keyPrefix, ModelPatterns models, UUID userId, String project,
      String plan, BigDecimal priceMultiplier, Limits keyLimits, Limits userLimits, Long monthlyTokenQuota) {
    this(keyId, keyName, keyPrefix, models, userId, project, plan, priceMultiplier, keyLimits, userLimits,
        monthlyTokenQuota, null);
  }

  public boolean mayUse(String model) {
    return models.allows(model);
  }

  /** The largest prompt one request may send, or null. */
  public Integer maxInputTokens() {
    return Limits.tighter(keyLimits.maxInputTokens(), userLimits.maxInputTokens());
  }

  /** The largest answer one request may receive, or null. */
  public Integer maxOutputTokens() {
    return Limits.tighter(keyLimits.maxOutputTokens(), userLimits.maxOutputTokens());
  }
}
