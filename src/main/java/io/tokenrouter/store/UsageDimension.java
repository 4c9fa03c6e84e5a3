package io.tokenrouter.store;

import java.util.List;
import java.util.Locale;

/** What a usage report groups by. */
public enum UsageDimension {
  KEY("api_key_id", "k.name"),
  USER("user_id", "u.email"),
  PROJECT("project", null),
  MODEL("model", null),
  PROVIDER("provider", null),
  DAY("time", null);

  /** The roll-up's column the groups are made by. */
  final String column;
  /** The name joined to it for display (a key's name, a user's email), or null. */
  final String name;

  UsageDimension(String column, String name) {
    this.column = column;
    this.name = name;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reports sum the roll-up's rows per group first ({@code d}, in a subquery {@code g}) and join
   * names to the groups after: a key's name is looked up once per key, not once per row.
   */
  static String joins(List<UsageDimension> dims) {
    return (dims.contains(KEY) ? " LEFT JOIN api_keys k ON k.id = g.api_key_id" : "")
        + (dims.contains(USER) ? " LEFT JOIN users u ON u.id = g.user_id" : "");
  }

  /** The grouping columns in the subquery. */
  static String inner(List<UsageDimension> dims) {
    return String.join(", ", dims.stream().map(d -> "d." + d.column).toList());
  }

  /** The grouping columns with their names, over the subquery's groups. */
  static String outer(List<UsageDimension> dims) {
    return String.join(", ", dims.stream().map(d -> d.name == null ? "g." + d.column : "g." + d.column + ", " + d.name)
        .toList());
  }

  /** The grouping columns of the subquery's groups, each once (to order by, breaking ties). */
  static String groups(List<UsageDimension> dims) {
    return String.join(", ", dims.stream().map(d -> "g." + d.column).toList());
  }

}
