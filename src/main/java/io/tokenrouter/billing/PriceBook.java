package io.tokenrouter.billing;

import java.util.Optional;

/** Where prices come from: the {@code model_pricing} table, cached. */
public interface PriceBook {
  /** The price of a model by the name its provider knows it, or empty when it has none. */
  Optional<Price> find(String model);
}
