package io.tokenrouter.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Cheap looks into JSON that is relayed, not rebuilt: byte search to decide whether a chunk
 * needs parsing at all, and a streaming read of one top-level field that skips everything else.
 */
public final class JsonTaps {
  private JsonTaps() {}

  /** Why a provider's JSON could not be read, without the parser's location noise. */
  public static String reason(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The bytes as text of one char per byte, for searching: {@code String.indexOf} is vectorized
   * by the JIT and a byte loop is not. Three searches in a 230-byte chunk take about a fifth of
   * the loop's time, the copy included (bench/RESULTS.md). A UTF-8 sequence becomes several
   * chars, so an index found in the text is the same index in the bytes.
   */
  public static String latin1(byte[] data) {
    return new String(data, StandardCharsets.ISO_8859_1);
  }

  /** Index of {@code needle} in {@code haystack} at or after {@code from}, or -1. */
  public static int indexOf(byte[] haystack, byte[] needle, int from) {
    int last = haystack.length - needle.length;
    byte first = needle[0];
    outer:
    for (int i = Math.max(0, from); i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public static boolean contains(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0) >= 0;
  }

  /** The value of a top-level field, parsed as a tree, or null when absent or not JSON. */
  public static JsonNode topLevelField(byte[] json, String field) {
    try (JsonParser p = Json.MAPPER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (field.equals(name)) {
          return Json.MAPPER.readTree(p);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
