package io.tokenrouter.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The UTC days a report covers, from {@code ?from=} and {@code ?to=} (both inclusive): by default
 * the last 30 days up to today, at most 366.
 */
record DayRange(LocalDate from, LocalDate to) {
  private static final int DEFAULT_DAYS = 30;
  private static final int MAX_DAYS = 366;

  static DayRange of(Query q, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate to = day(q, "to", today);
    LocalDate from = day(q, "from", to.minusDays(DEFAULT_DAYS - 1));
    if (from.isAfter(to)) {
      throw AdminError.badRequest("from", "'from' (" + from + ") is after 'to' (" + to + ").");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw AdminError.badRequest("from", "A report covers at most " + MAX_DAYS + " days; ask for several.");
    }
    return new DayRange(from, to);
  }

  /** The first day's start. */
  Instant start() {
    return from.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** The start of the day after the last. */
  Instant end() {
    return to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static LocalDate day(Query q, String name, LocalDate fallback) {
    String v = q.text(name);
    if (v == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw AdminError.badRequest(name, "'" + name + "' must be a date like 2026-01-31; '" + v + "' is not one.");
    }
  }
}
