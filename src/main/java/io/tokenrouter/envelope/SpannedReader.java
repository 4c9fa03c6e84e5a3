package io.tokenrouter.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads a body's top-level object into a {@link SpannedBody}: whole, with Jackson's streaming
 * parser, or after an earlier body, taking over each top-level value and each element of a
 * top-level array whose bytes are the earlier one's at the same place in its member (compared
 * byte for byte) and parsing only the rest.
 *
 * <p>Both refuse (throw) what is not a valid JSON object, without saying why: the caller then
 * parses the body the plain way, whose errors are the ones the client gets. A value taken over
 * is a complete JSON value in both bodies (an object, an array or a string: each ends where its
 * bytes say, unlike a number), so the two parse alike. The values parsed apart are parsed as
 * documents of their own, so Jackson's nesting limit counts from them, not from the body: a body
 * may nest two levels deeper than a whole parse allows, far below what a stack would mind.
 */
final class SpannedReader {
  private final ObjectReader values;
  private final ObjectReader documents;
  private final JsonNodeFactory nodes;

  /** {@code reader}: the tree reader whose numbers and limits apply. */
  SpannedReader(ObjectReader reader) {
    this.documents = reader;
    this.values = reader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.nodes = reader.getConfig().getNodeFactory();
  }

  /** The body read whole, every span recorded on the way. */
  SpannedBody whole(byte[] body) throws IOException {
    try (JsonParser p = values.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
      List<SpannedBody.Member> members = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken first = p.nextToken();
        int start = (int) p.currentTokenLocation().getByteOffset();
        SpannedBody.Member member;
        if (first == JsonToken.START_ARRAY) {
          Ints starts = new Ints();
          Ints ends = new Ints();
          List<JsonNode> items = new ArrayList<>();
          List<byte[]> copies = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            int from = (int) p.currentTokenLocation().getByteOffset();
            starts.add(from);
            items.add(values.readTree(p));
            int to = (int) p.currentLocation().getByteOffset();
            ends.add(to);
            copies.add(copy(body, from, to));
          }
          member = new SpannedBody.Member(name, new ArrayNode(nodes, items), start,
              (int) p.currentLocation().getByteOffset(), starts.array(), ends.array(), null,
              copies.toArray(byte[][]::new));
        } else {
          JsonNode value = values.readTree(p);
          int end = (int) p.currentLocation().getByteOffset();
          member = new SpannedBody.Member(name, value, start, end, null, null, copy(body, start, end), null);
        }
        fields.put(name, member.value());
        members.add(member);
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IOException("not one object");
      }
      return new SpannedBody(body, new ObjectNode(nodes, fields), members.toArray(SpannedBody.Member[]::new),
          new TurnMemory());
    }
  }

  /**
   * The body read after an earlier one, each value whose bytes are the earlier one's taken over.
   *
   * @param prior the earlier body's members
   * @param memory the memory of the body's conversation
   */
  SpannedBody after(byte[] body, SpannedBody.Member[] prior, TurnMemory memory) throws IOException {
    Cursor c = new Cursor(body);
    c.expect('{');
    LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
    List<SpannedBody.Member> members = new ArrayList<>();
    if (!c.closes('}')) {
      do {
        String name = c.name();
        c.expect(':');
        SpannedBody.Member was = SpannedBody.member(prior, name);
        SpannedBody.Member member;
        if (was != null && was.bytes() != null && same(body, c.at, was.bytes())) {
          member = new SpannedBody.Member(name, was.value(), c.at, c.at + was.bytes().length, null, null, was.bytes(),
              null);
          c.at = member.end();
        } else if (body[c.at] == '[') {
          member = array(c, name, was == null || was.starts() == null ? null : was);
        } else {
          int start = c.at;
          JsonNode value = value(c);
          member = new SpannedBody.Member(name, value, start, c.at, null, null, copy(body, start, c.at), null);
        }
        fields.put(name, member.value());
        members.add(member);
      } while (c.next('}'));
    }
    c.space();
    if (c.at != body.length) {
      throw new IOException("content after the object");
    }
    return new SpannedBody(body, new ObjectNode(nodes, fields), members.toArray(SpannedBody.Member[]::new), memory);
  }

  private SpannedBody.Member array(Cursor c, String name, SpannedBody.Member was) throws IOException {
    int start = c.at;
    c.expect('[');
    Ints starts = new Ints();
    Ints ends = new Ints();
    List<JsonNode> items = new ArrayList<>();
    List<byte[]> copies = new ArrayList<>();
    boolean allTaken = was != null;
    if (!c.closes(']')) {
      do {
        int i = items.size();
        int from = c.at;
        starts.add(from);
        if (was != null && i < was.elements().length && same(c.bytes, from, was.elements()[i])) {
          items.add(was.value().get(i));
          copies.add(was.elements()[i]);
          c.at += was.elements()[i].length;
        } else {
          items.add(value(c));
          copies.add(copy(c.bytes, from, c.at));
          allTaken = false;
        }
        ends.add(c.at);
      } while (c.next(']'));
    }
    // an array whose every element was taken over is the same array (the instructions, the tools)
    JsonNode value = allTaken && items.size() == was.elements().length ? was.value() : new ArrayNode(nodes, items);
    return new SpannedBody.Member(name, value, start, c.at, starts.array(), ends.array(), null,
        copies.toArray(byte[][]::new));
  }

  /** The value at the cursor, parsed; the cursor moves past it. */
  private JsonNode value(Cursor c) throws IOException {
    byte first = c.bytes[c.at];
    if (first == '{' || first == '[' || first == '"') {
      try (JsonParser p = values.createParser(c.bytes, c.at, c.bytes.length - c.at)) {
        p.nextToken();
        JsonNode node = values.readTree(p);
        c.at += (int) p.currentLocation().getByteOffset();
        return node;
      }
    }
    // a number or a literal ends at the first byte that cannot be part of it; parsed as a
    // document of its own, so that Jackson checks it is exactly one value
    int end = c.at;
    while (end < c.bytes.length && !delimits(c.bytes[end])) {
      end++;
    }
    JsonNode node = documents.readTree(c.bytes, c.at, end - c.at);
    if (node == null || node.isMissingNode()) {
      throw new IOException("no value");
    }
    c.at = end;
    return node;
  }

  /** Whether {@code body} holds at {@code at} the complete value {@code value} (null: one never taken over). */
  static boolean same(byte[] body, int at, byte[] value) {
    return value != null && at + value.length <= body.length
        && Arrays.equals(body, at, at + value.length, value, 0, value.length);
  }

  /**
   * The bytes of a value that can be taken over, apart from the body; null for a number or a
   * literal (which ends where the next byte says, not where its own bytes do).
   */
  private static byte[] copy(byte[] body, int from, int to) {
    byte first = body[from];
    return first == '{' || first == '[' || first == '"' ? Arrays.copyOfRange(body, from, to) : null;
  }

  private static boolean delimits(byte b) {
    return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** Where the structure between values is read; any byte out of place is refused. */
  private final class Cursor {
    final byte[] bytes;
    private final JsonScan scan;
    int at;

    Cursor(byte[] bytes) {
      this.bytes = bytes;
      this.scan = new JsonScan(bytes);
      space();
    }

    void space() {
      at = scan.skipSpace(at);
    }

    void expect(char b) throws IOException {
      if (at >= bytes.length || bytes[at] != b) {
        throw new IOException("expected " + b);
      }
      at++;
      space();
    }

    /** After an opening bracket: whether the container closes at once with {@code close}. */
    boolean closes(char close) {
      if (at < bytes.length && bytes[at] == close) {
        at++;
        return true;
      }
      return false;
    }

    /** After a value: true at a comma (the cursor on the next value), false at {@code close}. */
    boolean next(char close) throws IOException {
      space();
      if (at < bytes.length && bytes[at] == ',') {
        at++;
        space();
        return true;
      }
      expect(close);
      return false;
    }

    /** A member's name: plain ASCII read here, anything else (escapes, other characters) by Jackson. */
    String name() throws IOException {
      if (at >= bytes.length || bytes[at] != '"') {
        throw new IOException("expected a name");
      }
      int end = at + 1;
      while (end < bytes.length && bytes[end] != '"' && bytes[end] != '\\' && bytes[end] >= 0x20) {
        end++;
      }
      if (end < bytes.length && bytes[end] == '"') {
        String name = new String(bytes, at + 1, end - at - 1, StandardCharsets.ISO_8859_1);
        at = end + 1;
        space();
        return name;
      }
      String name = value(this).textValue();
      space();
      return name;
    }
  }

  /** A growing list of offsets. */
  private static final class Ints {
    private int[] values = new int[16];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] array() {
      return Arrays.copyOf(values, size);
    }
  }
}
