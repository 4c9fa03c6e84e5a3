package io.tokenrouter.provider.gemini;

/**
 * Gemini's thought signatures, carried in tool call ids. Gemini's thinking models sign the
 * function calls they make, and Gemini 3 refuses a conversation that sends a call back without
 * its signature. A client of another API keeps nothing of a call but its id, name and arguments,
 * and sends the id back with the call's answer; so the signature travels in the id, in the
 * characters every API accepts there ({@code [A-Za-z0-9_-]}, as Anthropic requires).
 */
final class ThoughtSignatures {
  private static final String MARK = "__ts_";

  private ThoughtSignatures() {}

  /** {@code id}, carrying {@code signature} (a base64 string) when there is one. */
  static String attach(String id, String signature) {
    if (signature == null || signature.isEmpty()) {
      return id;
    }
    StringBuilder sb = new StringBuilder(id.length() + MARK.length() + signature.length()).append(id).append(MARK);
    for (int i = 0; i < signature.length(); i++) {
      char c = signature.charAt(i);
      if (c != '=') {
        sb.append(c == '+' ? '-' : c == '/' ? '_' : c);
      }
    }
    return sb.toString();
  }

  /** The signature an id carries, as Gemini wrote it; null when it carries none. */
  static String of(String id) {
    int at = id == null ? -1 : id.indexOf(MARK);
    if (at < 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder(id.length() - at);
    for (int i = at + MARK.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      sb.append(c == '-' ? '+' : c == '_' ? '/' : c);
    }
    while (sb.length() % 4 != 0) {
      sb.append('=');
    }
    return sb.toString();
  }
}
