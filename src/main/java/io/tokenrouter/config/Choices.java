package io.tokenrouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Enum settings written in lower case in YAML, with the valid choices named when a value is not one. */
final class Choices {
  private Choices() {}

  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    String wanted = value == null ? "" : value.trim();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(wanted)) {
        return constant;
      }
    }
    List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    throw new IllegalArgumentException("'" + value + "' is not one of " + String.join(", ", names) + "."
        + Suggestions.didYouMean(wanted, names));
  }
}
