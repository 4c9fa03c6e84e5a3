package io.tokenrouter.store;

import java.math.BigDecimal;

/**
 * A plan (seed 000: free, pro, enterprise).
 *
 * @param monthlyTokenQuota tokens a user may use per calendar month (UTC), or null for unlimited
 * @param rpm requests per minute across a user's keys, or null for no plan-wide rate
 */
public record StoredPlan(String name, Long monthlyTokenQuota, Integer rpm, BigDecimal priceMultiplier) {}
