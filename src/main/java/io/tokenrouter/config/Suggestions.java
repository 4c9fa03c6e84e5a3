package io.tokenrouter.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the closest known word to a mistyped one, when one is close enough. */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate nearest to {@code given} (case, '-' and '_' ignored), if it is a plausible typo of it. */
  private static Optional<String> closest(String given, Collection<String> candidates) {
    String g = normalize(given);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(g, normalize(candidate));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // a third of the word may be wrong, at least two letters: "base_ur" → base_url, "OPEN-AI" → openai
    int allowed = Math.max(2, g.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** " Did you mean X?" or nothing, ready to append to a message. */
  public static String didYouMean(String given, Collection<String> candidates) {
    return closest(given, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** Levenshtein distance, two rows. */
  private static int distance(String a, String b) {
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
