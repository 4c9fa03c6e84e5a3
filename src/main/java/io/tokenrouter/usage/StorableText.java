package io.tokenrouter.usage;

/**
 * Text as the database can always store it. Much of a usage record is whatever a client sent
 * (the model name is recorded even when it is refused as unknown), and one value the database
 * refuses would otherwise fail its whole batch: PostgreSQL text cannot hold NUL, an unpaired
 * UTF-16 surrogate has no UTF-8 form (the spool's JSON writer refuses it too), and a value over
 * its column's width is rejected.
 */
final class StorableText {
  private static final char REPLACEMENT = '\uFFFD';

  private StorableText() {}

  /**
   * {@code value} without NUL characters, with each unpaired surrogate replaced by U+FFFD, and
   * cut to at most {@code width} UTF-16 units without splitting a pair (so at most {@code width}
   * characters on either engine). Null stays null.
   */
  static String fit(String value, int width) {
    if (value == null || value.length() <= width && clean(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), width));
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        continue;
      }
      boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      int needed = pair ? 2 : 1;
      if (out.length() + needed > width) {
        break;
      }
      if (pair) {
        out.append(c).append(value.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }

  private static boolean clean(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
