package io.tokenrouter.config;

import java.util.Collection;
import java.util.Locale;

/** Suggests the closest valid choice for a mistyped name ({@code open-ai} → {@code openai}). */
public final class DidYouMean {
  private static final int MAX_DISTANCE = 2;

  private DidYouMean() {}

  /** {@code " (did you mean 'x'?)"} for the closest choice within a couple of edits, else empty. */
  public static String suggest(String typed, Collection<String> choices) {
    if (typed == null) {
      return "";
    }
    String t = typed.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String choice : choices) {
      int d = distance(t, choice.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = choice;
      }
    }
    return best != null && bestDistance <= MAX_DISTANCE ? " (did you mean '" + best + "'?)" : "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
