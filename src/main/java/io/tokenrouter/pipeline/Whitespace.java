package io.tokenrouter.pipeline;

/**
 * The whitespace of instructions in one form: line ends as {@code \n}, no spaces or tabs before
 * a line end, at most one blank line in a row, nothing blank before the first or after the last
 * visible character. None of it changes what instructions say; all of it changes their bytes.
 */
final class Whitespace {
  private Whitespace() {}

  /** {@code text} tidied; {@code text} itself when it already is. */
  static String tidy(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int newlines = 0;
    int pendingFrom = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          continue;
        }
        c = '\n';
      }
      if (c == '\n') {
        if (pendingFrom >= 0) {
          out.setLength(pendingFrom);
          pendingFrom = -1;
        }
        if (!out.isEmpty() && newlines < 2) {
          out.append('\n');
        }
        newlines++;
        continue;
      }
      if (c == ' ' || c == '\t') {
        if (out.isEmpty()) {
          continue;
        }
        if (pendingFrom < 0) {
          pendingFrom = out.length();
        }
        out.append(c);
        continue;
      }
      pendingFrom = -1;
      newlines = 0;
      out.append(c);
    }
    if (pendingFrom >= 0) {
      out.setLength(pendingFrom);
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == '\n') {
      end--;
    }
    out.setLength(end);
    return out.length() == text.length() && out.toString().equals(text) ? text : out.toString();
  }
}
