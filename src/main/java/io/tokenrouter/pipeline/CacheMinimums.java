package io.tokenrouter.pipeline;

import io.tokenrouter.caller.ModelPatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shortest prefix each Anthropic model caches, in tokens (shorter ones are silently not
 * cached). Built-in values follow Anthropic's documentation; the configuration's patterns come
 * first, so a new model or a changed rule needs no release.
 */
final class CacheMinimums {
  /** Anthropic's published minimums, most specific first; models not listed cache from 1,024 tokens. */
  private static final List<Rule> BUILT_IN = List.of(
      rule("claude-opus-4-5*", 4096),
      rule("claude-opus-4-6*", 4096),
      rule("claude-haiku-4-5*", 4096),
      rule("claude-sonnet-4-6*", 2048),
      rule("claude-3-5-haiku*", 2048),
      rule("claude-3-haiku*", 2048));
  private static final int DEFAULT = 1024;
  private final List<Rule> rules;

  private record Rule(ModelPatterns pattern, int tokens) {}

  CacheMinimums(Map<String, Integer> configured) {
    List<Rule> all = new ArrayList<>();
    configured.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> all.add(rule(e.getKey(), e.getValue())));
    all.addAll(BUILT_IN);
    this.rules = List.copyOf(all);
  }

  private static Rule rule(String glob, int tokens) {
    return new Rule(new ModelPatterns(List.of(glob.toLowerCase(Locale.ROOT))), tokens);
  }

  /** The minimum for {@code model}, the provider's name for it. */
  int tokens(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    for (Rule r : rules) {
      if (r.pattern().allows(name)) {
        return r.tokens();
      }
    }
    return DEFAULT;
  }
}
