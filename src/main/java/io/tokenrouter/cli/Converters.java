package io.tokenrouter.cli;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values checked at parse time, refused in words instead of Java exception names. */
final class Converters {
  private Converters() {}

  /** A positive amount of US dollars: 5, 12.50. */
  static final class Usd implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String value) {
      BigDecimal d = decimal(value, "is not a number of US dollars, e.g. 5 or 12.50");
      if (d.signum() <= 0) {
        throw new TypeConversionException("'" + value + "' is not more than 0 US dollars");
      }
      return d;
    }
  }

  /** A positive multiplier: 0.8, 1. */
  static final class Multiplier implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String value) {
      BigDecimal d = decimal(value, "is not a number such as 0.8");
      if (d.signum() <= 0) {
        throw new TypeConversionException("'" + value + "' is not more than 0");
      }
      return d;
    }
  }

  /** A whole number of at least 1. */
  static final class Count implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, Integer.MAX_VALUE);
    }
  }

  /** A whole number of at least 1, up to a long (token quotas). */
  static final class BigCount implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return whole(value, Long.MAX_VALUE);
    }
  }

  /** A calendar date: 2026-01-31. */
  static final class Day implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date like 2026-01-31");
      }
    }
  }

  private static long whole(String value, long max) {
    String v = value.trim().replace("_", "");
    try {
      long n = Long.parseLong(v);
      if (n < 1 || n > max) {
        throw new TypeConversionException("'" + value + "' is not a whole number between 1 and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number, e.g. 60");
    }
  }

  private static BigDecimal decimal(String value, String problem) {
    try {
      return new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' " + problem);
    }
  }
}
