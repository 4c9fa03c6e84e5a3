package io.tokenrouter.envelope;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses a client's request body into a JSON object, for every inbound API. It refuses what must
 * not travel further, each time with an {@link InvalidRequestException} in the client's terms:
 * bytes that are not UTF-8 (the parser alone would decode the overlong {@code C0 80} to NUL,
 * {@code ED A0 80} to a lone surrogate, and take a body with NUL bytes for UTF-16), content after
 * the object, numbers beyond a double's range, and documents past the parser's limits on
 * nesting, number and name length.
 *
 * <p>A body of {@value RecentBodies#MIN_BYTES} bytes or more (an agent's turn) is read after the
 * same caller's previous body of that conversation ({@link RecentBodies}): the values it shares
 * with it are the same nodes, and only the rest is parsed.
 */
public final class JsonBody {
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(new FiniteNumbers())
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final RecentBodies RECENT = new RecentBodies(new SpannedReader(READER),
      RecentBodies.boundFor(Runtime.getRuntime().maxMemory()));
  /** Where the parser's own wording turns to its internals (settings, source locations); cut there. */
  private static final List<String> INTERNAL_DETAIL = List.of(" (start marker", " (for ", " (not recognized", ": enable",
      "[Source", "`");

  private JsonBody() {}

  /**
   * The memory of the conversation a body read lately belongs to (its nodes may be ones read
   * before, see {@link IdentityMemo}); null for a body too small to be read after another, or read
   * too long ago to be found.
   */
  public static TurnMemory memoryOf(byte[] body) {
    if (body.length < RecentBodies.MIN_BYTES) {
      return null;
    }
    SpannedBody read = RECENT.lately(body);
    return read == null ? null : read.memory();
  }

  /**
   * The body as a JSON object; never null.
   *
   * @param caller who sent it (the credential it came with, or null): a large body is read after
   *     the same caller's previous bodies only, so that how fast a body is read tells no one what
   *     another caller sent
   * @param conversation the member that holds the conversation in the body's API ({@code messages},
   *     {@code input}): where a large body's previous turn is looked for
   */
  public static ObjectNode parseObject(byte[] body, String caller, String conversation) {
    requireUtf8(body);
    if (body.length >= RecentBodies.MIN_BYTES) {
      SpannedBody read = RECENT.read(body, caller == null ? "" : caller, conversation);
      if (read != null) {
        return read.object();
      }
    }
    JsonNode root;
    try {
      root = READER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException(beyondLimits(e), null);
    } catch (JsonEOFException e) {
      throw new InvalidRequestException("The request body ends before its JSON is complete" + at(e.getLocation()) + ".",
          null);
    } catch (MismatchedInputException e) {
      throw new InvalidRequestException("The request body has more content after its JSON object" + at(e.getLocation())
          + ".", null);
    } catch (JsonParseException e) {
      throw new InvalidRequestException("The request body is not valid JSON: " + syntax(e) + at(e.getLocation()) + ".",
          null);
    } catch (IOException e) {
      throw new InvalidRequestException("The request body could not be read as JSON.", null);
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidRequestException("The request body is empty; it must be a JSON object.", null);
    }
    if (!(root instanceof ObjectNode object)) {
      throw new InvalidRequestException("The request body must be a JSON object, not " + kind(root) + ".", null);
    }
    return object;
  }

  /**
   * Where the values of a body read lately after its previous turn are, for the writer that copies
   * its bytes ({@link EditedBody}); null when it was not read so or was read too long ago.
   */
  static SpannedBody spannedOf(byte[] body) {
    return RECENT.lately(body);
  }

  private static void requireUtf8(byte[] body) {
    int i = 0;
    // ASCII, most bodies whole, a word at a time
    while (i + Words.SIZE <= body.length) {
      long flags = Words.zeroOrHighBytes(Words.at(body, i));
      if (flags != 0) {
        i += Words.lowest(flags);
        break;
      }
      i += Words.SIZE;
    }
    while (i < body.length && body[i] > 0) {
      i++;
    }
    if (i == body.length) {
      return;
    }
    for (int j = i; j < body.length; j++) {
      if (body[j] == 0) {
        throw new InvalidRequestException("The request body contains a NUL byte at offset " + j
            + "; send the JSON as UTF-8 text.", null);
      }
    }
    // From the first non-ASCII byte on, the JDK's decoder is the strict one: it refuses overlong
    // forms, encoded surrogates, sequences past U+10FFFF and a sequence cut off at the end.
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(body, i, body.length - i);
    CharBuffer out = CharBuffer.allocate(1024);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw new InvalidRequestException("The request body is not valid UTF-8: the bytes at offset " + in.position()
            + " are not a UTF-8 character.", null);
      }
      if (result.isUnderflow()) {
        return;
      }
      out.clear();
    }
  }

  private static String beyondLimits(StreamConstraintsException e) {
    StreamReadConstraints limits = Json.MAPPER.getFactory().streamReadConstraints();
    String reason = String.valueOf(e.getOriginalMessage());
    if (reason.contains("getMaxNestingDepth")) {
      return "The request body nests objects and arrays more than " + limits.getMaxNestingDepth() + " levels deep.";
    }
    if (reason.contains("getMaxNumberLength")) {
      return "A number in the request body is longer than " + limits.getMaxNumberLength() + " characters.";
    }
    if (reason.contains("getMaxNameLength")) {
      return "A field name in the request body is longer than " + limits.getMaxNameLength() + " characters.";
    }
    if (reason.contains("getMaxStringLength")) {
      return "A string in the request body is longer than " + limits.getMaxStringLength() + " characters.";
    }
    return "The request body is larger or more complex than this gateway parses.";
  }

  private static String syntax(JsonParseException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int cut = message.length();
    for (String marker : INTERNAL_DETAIL) {
      int at = message.indexOf(marker);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String plain = message.substring(0, cut).strip();
    return plain.isEmpty() ? "unexpected content" : plain;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "this value";
    };
  }

  /**
   * Numbers as the shared mapper makes them, except those that overflow a double: the parser
   * would make them Infinity, which no API parameter means and which serialises as a string.
   */
  private static final class FiniteNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    FiniteNumbers() {
      super(true);
    }

    @Override
    public NumericNode numberNode(double v) {
      if (!Double.isFinite(v)) {
        throw new InvalidRequestException("A number in the request body is too large to represent.", null);
      }
      return super.numberNode(v);
    }
  }
}
