package io.tokenrouter.api.openai;

import io.vertx.core.MultiMap;

/** The key of an OpenAI-format request: {@code Authorization: Bearer <key>}. */
public final class BearerToken {
  private BearerToken() {}

  /** The key, or null when the header is missing or not a bearer token. */
  public static String of(MultiMap headers) {
    String header = headers.get("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = header.substring(7).trim();
    return key.isEmpty() ? null : key;
  }
}
