package io.tokenrouter.caller;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A model allowlist of glob patterns ({@code *} any run of characters, {@code ?} one), compiled
 * once when the key is loaded. Empty allows every model.
 */
public final class ModelPatterns {
  public static final ModelPatterns ANY = new ModelPatterns(List.of());
  private final List<String> globs;
  private final List<Pattern> patterns;

  public ModelPatterns(List<String> globs) {
    this.globs = List.copyOf(globs);
    this.patterns = globs.stream().map(ModelPatterns::compile).toList();
  }

  public boolean allows(String model) {
    if (patterns.isEmpty()) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(model).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String literal : glob.split("(?=[*?])|(?<=[*?])")) {
      switch (literal) {
        case "*" -> regex.append(".*");
        case "?" -> regex.append('.');
        default -> regex.append(Pattern.quote(literal));
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelPatterns other && globs.equals(other.globs);
  }

  @Override
  public int hashCode() {
    return globs.hashCode();
  }

  @Override
  public String toString() {
    return globs.isEmpty() ? "*" : String.join(",", globs);
  }
}
