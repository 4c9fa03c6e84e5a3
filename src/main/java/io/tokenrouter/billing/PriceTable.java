package io.tokenrouter.billing;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One snapshot of the price list, looked up by the provider's model name: the exact name
 * first, else the longest listed name the model's name extends by a version or date suffix
 * ({@code gpt-4o-mini-2024-07-18} prices as {@code gpt-4o-mini}, {@code gpt-4.1-2025-04-14} as
 * {@code gpt-4.1}).
 *
 * <p>The suffix must start with a dash and a digit. A bare prefix match would price
 * {@code o3-mini} as {@code o3} and {@code gpt-5-nano} as {@code gpt-5}, different models at
 * many times the price; those stay unpriced, which is counted and logged, until they are listed.
 */
record PriceTable(Map<String, Price> byName, List<Price> longestFirst) {
  static PriceTable of(Collection<Price> prices) {
    return new PriceTable(prices.stream().collect(Collectors.toUnmodifiableMap(Price::model, Function.identity())),
        prices.stream().sorted(Comparator.comparingInt((Price p) -> p.model().length()).reversed()).toList());
  }

  Optional<Price> find(String model) {
    if (model == null) {
      return Optional.empty();
    }
    Price exact = byName.get(model);
    if (exact != null) {
      return Optional.of(exact);
    }
    return longestFirst.stream().filter(p -> isVersionOf(model, p.model())).findFirst();
  }

  private static boolean isVersionOf(String model, String listed) {
    int n = listed.length();
    return model.length() > n + 1 && model.startsWith(listed) && model.charAt(n) == '-'
        && Character.isDigit(model.charAt(n + 1));
  }
}
