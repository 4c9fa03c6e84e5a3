package io.tokenrouter.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
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

  /**
   * The root object's {@code field} of a whole reply that is relayed as it is, or null when it has
   * none; fails with the provider's bad response when the body is not one JSON object.
   *
   * <p>A field that closes the root object, but for scalar members after it (OpenAI's usage, with
   * at most {@code service_tier} and {@code system_fingerprint} after it; Anthropic's, last), is
   * read from the end without tokenizing what comes before it: an embeddings answer is thousands
   * of numbers, which took the event loop about 2.6 ns a byte to tokenize (50 µs for one vector
   * of 1,536 dimensions, milliseconds for a batch; bench/RESULTS.md). Such a body is taken for the
   * document it frames, opening the root object and closing it after the field: HTTP's framing
   * has already caught a body cut short, and its middle goes to a client that parses it anyway.
   * A body of any other shape is read whole and checked.
   */
  public static JsonNode rootField(byte[] body, String field, String provider) {
    JsonNode found = closingField(body, field);
    if (found != null) {
      return found;
    }
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw GatewayError.badResponse(provider, "the reply is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals(field)) {
          found = Json.MAPPER.readTree(p);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw GatewayError.badResponse(provider, "the reply has data after its JSON document");
      }
      return found;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "the reply is not valid JSON (" + reason(e) + ")");
    }
  }

  /**
   * The object or array value of the last {@code "field":} in the body when only scalar members
   * and the root's closing brace follow it, in a body that opens with the root's brace; else null.
   */
  static JsonNode closingField(byte[] body, String field) {
    int open = whitespace(body, 0);
    if (open >= body.length || body[open] != '{') {
      return null;
    }
    byte[] key = ascii('"' + field + '"');
    int at = lastIndexOf(body, key);
    // a quote after an odd number of backslashes is inside a string, not the start of a name
    if (at <= open || backslashesBefore(body, at) % 2 == 1) {
      return null;
    }
    int colon = whitespace(body, at + key.length);
    if (colon >= body.length || body[colon] != ':') {
      return null;
    }
    int value = whitespace(body, colon + 1);
    if (value >= body.length || body[value] != '{' && body[value] != '[') {
      return null;
    }
    try (JsonParser p = Json.MAPPER.createParser(body, value, body.length - value)) {
      JsonNode node = Json.MAPPER.readTree(p);
      return closesRoot(body, value + (int) p.currentLocation().getByteOffset()) ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether from {@code i} come only members with scalar values, then the closing brace and the end. */
  private static boolean closesRoot(byte[] b, int i) {
    while (true) {
      i = whitespace(b, i);
      if (i >= b.length) {
        return false;
      }
      if (b[i] == '}') {
        return whitespace(b, i + 1) == b.length;
      }
      if (b[i] != ',') {
        return false;
      }
      i = whitespace(b, i + 1);
      if (i >= b.length || b[i] != '"' || (i = afterString(b, i)) < 0) {
        return false;
      }
      i = whitespace(b, i);
      if (i >= b.length || b[i] != ':') {
        return false;
      }
      i = whitespace(b, i + 1);
      if (i < b.length && b[i] == '"') {
        if ((i = afterString(b, i)) < 0) {
          return false;
        }
      } else {
        int start = i;
        while (i < b.length && isScalarByte(b[i])) {
          i++;
        }
        if (i == start) {
          return false;
        }
      }
    }
  }

  /** The index after the string whose opening quote is at {@code i}, or -1 when it does not end. */
  private static int afterString(byte[] b, int i) {
    for (int j = i + 1; j < b.length; j++) {
      if (b[j] == '\\') {
        j++;
      } else if (b[j] == '"') {
        return j + 1;
      }
    }
    return -1;
  }

  /** Bytes of a number, true, false or null. */
  private static boolean isScalarByte(byte c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E';
  }

  private static int whitespace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }

  private static int backslashesBefore(byte[] b, int i) {
    int n = 0;
    while (i - n - 1 >= 0 && b[i - n - 1] == '\\') {
      n++;
    }
    return n;
  }

  private static int lastIndexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
