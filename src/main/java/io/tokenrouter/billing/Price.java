package io.tokenrouter.billing;

import java.math.BigDecimal;

/**
 * A model's prices in USD per million tokens.
 *
 * <p>A cache price that is null or zero means the provider does not price those tokens apart,
 * so they cost the input price: OpenAI bills the cache writes its newer models report at the
 * input price, and a model without caching reads nothing cheaper than its input. No provider
 * serves cached tokens for free, so zero is never taken literally; {@code model_pricing} keeps
 * 0 in its NOT NULL cache columns for "not discounted".
 */
public record Price(String model, BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
  public Price {
    cacheRead = undiscounted(cacheRead) ? input : cacheRead;
    cacheWrite = undiscounted(cacheWrite) ? input : cacheWrite;
  }

  private static boolean undiscounted(BigDecimal cachePrice) {
    return cachePrice == null || cachePrice.signum() == 0;
  }
}
