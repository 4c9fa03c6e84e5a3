package io.tokenrouter.store;

import java.util.Locale;

/** What a usage report groups by. */
public enum UsageDimension {
  KEY("d.api_key_id, k.name"),
  USER("d.user_id, u.email"),
  PROJECT("d.project"),
  MODEL("d.model"),
  PROVIDER("d.provider"),
  DAY("d.time");

  /** The daily_usage columns (and joined names) the dimension selects and groups by. */
  final String columns;

  UsageDimension(String columns) {
    this.columns = columns;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
