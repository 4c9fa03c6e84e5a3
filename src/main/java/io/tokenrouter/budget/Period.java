package io.tokenrouter.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A calendar period in UTC that budgets and quotas reset on. */
public enum Period {
  DAY, MONTH;

  private static final DateTimeFormatter DAY_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd");
  private static final DateTimeFormatter MONTH_ID = DateTimeFormatter.ofPattern("yyyy-MM");

  public Instant start(Instant now) {
    LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return (this == DAY ? date : date.withDayOfMonth(1)).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  public Instant end(Instant now) {
    LocalDate first = LocalDate.ofInstant(start(now), ZoneOffset.UTC);
    return (this == DAY ? first.plusDays(1) : first.plusMonths(1)).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** 2026-11-21 for a day, 2026-11 for a month: part of the counter's key. */
  public String id(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).format(this == DAY ? DAY_ID : MONTH_ID);
  }

  public Duration remaining(Instant now) {
    return Duration.between(now, end(now));
  }

  public String label() {
    return this == DAY ? "daily" : "monthly";
  }
}
