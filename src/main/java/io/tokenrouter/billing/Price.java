package io.tokenrouter.billing;

import java.math.BigDecimal;

/**
 * A model's prices in USD per million tokens. Cache prices default to the input price when a
 * provider does not discount them (null in the table means "same as input").
 */
public record Price(String model, BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
  public Price {
    cacheRead = cacheRead == null ? input : cacheRead;
    cacheWrite = cacheWrite == null ? input : cacheWrite;
  }
}
