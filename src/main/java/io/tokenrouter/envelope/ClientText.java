package io.tokenrouter.envelope;

/**
 * Checks identifiers a client sends (model names, user and session ids): the gateway logs them,
 * routes and meters by them and stores them, so they must be printable Unicode text of bounded
 * length. A NUL, a lone surrogate (what invalid UTF-8 or a {@code \ud800} escape decodes to) or
 * an over-long value would otherwise fail far from the request, in a log line or a database
 * batch. Each refusal names the field as the error's {@code param}.
 */
public final class ClientText {
  /** Longest identifier accepted when the caller names no bound, in characters. */
  public static final int MAX_IDENTIFIER_LENGTH = 256;
  /** Longest model name: the usage table stores model names in 100 characters. */
  public static final int MAX_MODEL_NAME_LENGTH = 100;

  private ClientText() {}

  /** {@code value} when it is a model name the gateway can route, log and record. */
  public static String modelName(String value, String param) {
    return identifier(value, param, MAX_MODEL_NAME_LENGTH);
  }

  /** {@code value} when it is printable text of at most {@link #MAX_IDENTIFIER_LENGTH} characters. */
  public static String identifier(String value, String param) {
    return identifier(value, param, MAX_IDENTIFIER_LENGTH);
  }

  /**
   * {@code value} when it is printable text of at most {@code maxLength} characters (Unicode code
   * points); otherwise an {@link InvalidRequestException} for {@code param}.
   */
  public static String identifier(String value, String param, int maxLength) {
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      throw new InvalidRequestException("'" + param + "' is " + length + " characters long; at most " + maxLength
          + " are accepted.", param);
    }
    int position = 0;
    for (int i = 0; i < value.length(); position++) {
      int c = value.codePointAt(i);
      switch (Character.getType(c)) {
        case Character.SURROGATE -> throw new InvalidRequestException("'" + param + "' contains an unpaired surrogate ("
            + codePoint(c) + ") at position " + position + ", which is not valid Unicode text.", param);
        case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
            throw new InvalidRequestException("'" + param + "' contains the control or invisible character "
                + codePoint(c) + " at position " + position + "; only printable text is accepted.", param);
        default -> { }
      }
      i += Character.charCount(c);
    }
    return value;
  }

  private static String codePoint(int c) {
    return String.format("U+%04X", c);
  }
}
