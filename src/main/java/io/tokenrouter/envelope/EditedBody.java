package io.tokenrouter.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request a stage changed, written as the client's bytes with only the changed parts written
 * again: the canonicaliser sorts the keys of tool schemas and tool-call arguments and the cache
 * stage marks a few blocks, while an agent's request is mostly conversation no stage touches, a
 * few hundred kilobytes that encoding again would cost far more than copying.
 *
 * <p>A part is copied when the envelope holds, at its place, the very object the reader made of
 * it (stages build changed copies, never edit); a message whose blocks alone changed keeps its
 * own bytes around the blocks written again. This relies on the dialect's reader making the
 * i-th message, block and tool of the envelope from the i-th element of the body's message,
 * content, system and tool arrays, as the Messages and chat readers do, or each message from a
 * run of elements the format says it joins ({@link Encoder#joinsTurn}, the Responses API's
 * items); where the counts differ, the request is written whole.
 */
public final class EditedBody {
  /**
   * How the changed parts are written, in the format the client sent: each method writes its
   * part as JSON values in the generator's current array (or at its root, for the system).
   */
  public interface Encoder {
    void system(JsonGenerator json, Message system) throws IOException;

    /** One message of the body's message array (or none, or several, as the format needs). */
    void message(JsonGenerator json, Message message) throws IOException;

    void tool(JsonGenerator json, Tool tool) throws IOException;

    /**
     * Whether the format writes a message's blocks one for one as the elements of its
     * {@code content} array, so that a message whose blocks alone changed can keep the bytes of
     * the others; false when some blocks live elsewhere (OpenAI's tool calls and tool results).
     */
    default boolean blocksAreContent() {
      return false;
    }

    /**
     * A block of a message or of the system, as elements of its content array (or none); for a
     * format that joins elements into turns, a block that is a whole element (a function call).
     */
    default void block(JsonGenerator json, Block block) throws IOException {
      throw new UnsupportedOperationException("this format does not write blocks alone");
    }

    /**
     * Whether the format writes a message's tool calls as a member of their own
     * ({@code tool_calls}, OpenAI's), so that a message whose tool calls alone changed (their
     * arguments made canonical) keeps the bytes of the rest, its text above all.
     */
    default boolean callsAreAMember() {
      return false;
    }

    /** The value of a message's {@code tool_calls} member. */
    default void calls(JsonGenerator json, List<Block.ToolUse> calls) throws IOException {
      throw new UnsupportedOperationException("this format has no tool_calls member");
    }

    /** The body's member holding the instructions. */
    default String systemMember() {
      return "system";
    }

    /** The body's member holding the conversation, an array. */
    default String messagesMember() {
      return "messages";
    }

    /**
     * Whether the format's reader joins an element of this type and role to the turn before it
     * when that turn is made of such elements too (the Responses API: the model's message,
     * function_call and reasoning items make one assistant turn); every other element is a turn
     * of its own.
     *
     * @param type the element's {@code type}, or null
     * @param role the element's {@code role}, or null
     */
    default boolean joinsTurn(String type, String role) {
      return false;
    }

    /** Whether the format's reader joins elements into turns at all ({@link #joinsTurn}). */
    default boolean joinsTurns() {
      return false;
    }
  }

  /** Writes one item of a list. */
  @FunctionalInterface
  private interface ItemWriter<T> {
    void write(JsonGenerator json, T item) throws IOException;
  }

  private EditedBody() {}

  /**
   * @return the body for {@code model}, in pieces to be sent one after the other, each from its
   *     position to its limit: ranges of the client's array where its bytes are copied, and arrays
   *     of what was written again (none of them may change afterwards); null when it cannot be
   *     edited this way and must be written whole: no stage changed the request, a stage changed
   *     more than the prompt (beyond adding parameters), or the body's shape is not the one the
   *     reader mapped part for part
   */
  public static List<ByteBuffer> write(Envelope env, String model, Encoder encoder) {
    Envelope sent = env.asSent();
    Map<String, JsonNode> added = sent == env || sent.original() == null ? null : addedParams(env, sent);
    if (added == null || !onlyPromptChanged(env, sent)) {
      return null;
    }
    BodySpans spans = BodySpans.scan(sent.original(), encoder.systemMember(), encoder.messagesMember());
    int[] turns = spans == null ? null : turns(spans, encoder);
    if (turns == null || turns.length - 1 != sent.messages().size()
        || (spans.tools == null ? !env.tools().isEmpty() : spans.tools.elements().size() != sent.tools().size())) {
      return null;
    }
    try {
      return new Splice(sent.original(), encoder, spans.memory()).write(env, sent, model, spans, turns, added);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Where each turn's elements start in the body's message array, and one past the last element
   * at the end; null when an element's type or role cannot be told.
   */
  private static int[] turns(BodySpans spans, Encoder encoder) {
    int elements = spans.messageCount();
    int[] starts = new int[elements + 1];
    if (!encoder.joinsTurns()) {
      for (int i = 0; i <= elements; i++) {
        starts[i] = i;
      }
      return starts;
    }
    int count = 0;
    boolean joining = false;
    for (int i = 0; i < elements; i++) {
      BodySpans.MessageSpan e = spans.message(i);
      if (e == null || !e.plainNames()) {
        return null;
      }
      boolean joins = encoder.joinsTurn(e.type(), e.role());
      if (!(joins && joining)) {
        starts[count++] = i;
      }
      joining = joins;
    }
    starts[count] = elements;
    return Arrays.copyOf(starts, count + 1);
  }

  private static boolean onlyPromptChanged(Envelope env, Envelope sent) {
    return env.toolChoice() == sent.toolChoice() && env.parallelToolCalls() == sent.parallelToolCalls()
        && env.stream() == sent.stream() && env.maxOutput() == sent.maxOutput()
        && env.stopSequences().equals(sent.stopSequences()) && (env.system() == null) == (sent.system() == null);
  }

  /**
   * The parameters a stage added (OpenAI's {@code prompt_cache_key}, say), which go first in the
   * body; empty when none was; null when one the client sent was changed or dropped.
   */
  private static Map<String, JsonNode> addedParams(Envelope env, Envelope sent) {
    if (env.params().size() < sent.params().size()) {
      return null;
    }
    for (Map.Entry<String, JsonNode> p : sent.params().entrySet()) {
      if (env.params().get(p.getKey()) != p.getValue()) {
        return null;
      }
    }
    if (env.params().size() == sent.params().size()) {
      return Map.of();
    }
    Map<String, JsonNode> added = new LinkedHashMap<>();
    env.params().forEach((name, value) -> {
      if (!sent.params().containsKey(name)) {
        added.put(name, value);
      }
    });
    return added;
  }

  /**
   * One edited body being written: copied ranges of the client's bytes between encoded parts.
   * The generators write at their root, each part one root value after another with no
   * separator between (the separators are the body's own or the arrays' own); a copied element
   * of an array is announced to the generator as an empty raw value, so that the generator puts
   * the comma before the next element as it would for its own.
   */
  private static final class Splice {
    private static final SerializedString NOTHING = new SerializedString("");
    private static final SerializedString COMMA = new SerializedString(",");
    /** What each encoder wrote for a part, by kind: a message may be written whole or its calls alone. */
    private static final IdentityMemo<Object, Encoded> SYSTEMS = new IdentityMemo<>();
    private static final IdentityMemo<Object, Encoded> MESSAGES = new IdentityMemo<>();
    private static final IdentityMemo<Object, Encoded> CALLS = new IdentityMemo<>();
    private static final IdentityMemo<Object, Encoded> BLOCKS = new IdentityMemo<>();
    private static final IdentityMemo<Object, Encoded> TOOLS = new IdentityMemo<>();

    private final byte[] body;
    private final Encoder encoder;
    /**
     * The memory of the request's conversation ({@link BodySpans#memory()}), or null: a changed part
     * (a tool call made canonical) is the same changed object every turn, and what the encoder
     * wrote for it is written again.
     */
    private final TurnMemory memory;
    private final Output out;
    private final JsonGenerator json;
    /** For the content arrays inside a message whose own bytes are copied around them. */
    private JsonGenerator inner;
    private int copied;

    Splice(byte[] body, Encoder encoder, TurnMemory memory) throws IOException {
      this.body = body;
      this.encoder = encoder;
      this.memory = memory;
      this.out = new Output();
      this.json = generator(out);
    }

    private static JsonGenerator generator(Output out) throws IOException {
      JsonGenerator generator = Json.MAPPER.createGenerator(out);
      generator.setRootValueSeparator(null);
      return generator;
    }

    List<ByteBuffer> write(Envelope env, Envelope sent, String model, BodySpans spans, int[] turns,
        Map<String, JsonNode> added) throws IOException {
      copyTo(spans.open + 1);
      for (Map.Entry<String, JsonNode> p : added.entrySet()) {
        json.writeString(p.getKey());
        json.writeRaw(':');
        json.writeTree(p.getValue());
        json.writeRaw(',');
      }
      // the parts in the order the body has them
      BodySpans.Span[] order = {spans.model, spans.system, spans.messages,
          spans.tools == null ? null : spans.tools.value()};
      Arrays.sort(order, Comparator.nullsLast(Comparator.comparingInt(BodySpans.Span::start)));
      for (BodySpans.Span part : order) {
        if (part == null) {
          break;
        }
        if (part == spans.model) {
          copyTo(part.start());
          json.writeString(model);
          skipTo(part.end());
        } else if (part == spans.system) {
          system(env.system(), sent.system(), spans);
        } else if (part == spans.messages) {
          messages(env.messages(), sent.messages(), spans, turns);
        } else if (env.tools() != sent.tools()) {
          copyTo(part.start());
          elements(json, env.tools(), sent.tools(), spans.tools.elements(),
              (g, t) -> encoded(g, t, TOOLS, encoder::tool));
          skipTo(part.end());
        }
      }
      copyTo(body.length);
      json.close();
      if (inner != null) {
        inner.close();
      }
      return out.pieces();
    }

    private void system(Message now, Message before, BodySpans spans) throws IOException {
      if (now == before) {
        return;
      }
      copyTo(spans.system.start());
      BodySpans.Array blocks = spans.systemBlocks;
      if (encoder.blocksAreContent() && blocks != null && !now.plainText() && !before.plainText()
          && blocks.elements().size() == before.content().size()) {
        elements(json, now.content(), before.content(), blocks.elements(), this::block);
      } else {
        encoded(json, now, SYSTEMS, encoder::system);
      }
      skipTo(spans.system.end());
    }

    /** @param turns where each message's elements start, as {@link EditedBody#turns} found them */
    private void messages(List<Message> now, List<Message> before, BodySpans spans, int[] turns) throws IOException {
      if (now == before) {
        return;
      }
      copyTo(spans.messages.start());
      json.writeStartArray();
      for (int i = 0; i < now.size(); i++) {
        Message m = now.get(i);
        Message s = i < before.size() ? before.get(i) : null;
        boolean one = s != null && turns[i + 1] - turns[i] == 1;
        BodySpans.MessageSpan span = one && m != s ? spans.message(turns[i]) : null;
        if (m == s) {
          // this message and the unchanged ones after it: their elements, and the commas between
          // them, as they are, in one piece
          int last = unchangedFrom(now, before, i);
          copied(json, new BodySpans.Span(spans.messageValue(turns[i]).start(),
              spans.messageValue(turns[last + 1] - 1).end()));
          i = last;
        } else if (span != null && sameButCalls(m, s, span)) {
          copied(json, new BodySpans.Span(span.value().start(), span.toolCalls().start()));
          encoded(inner(), m, CALLS, (g, message) -> encoder.calls(g, calls(message.content())));
          raw(span.toolCalls().end(), span.value().end());
        } else if (span != null && sameButBlocks(m, s, span)) {
          copied(json, new BodySpans.Span(span.value().start(), span.content().value().start()));
          elements(inner(), m.content(), s.content(), span.content().elements(), this::block);
          raw(span.content().value().end(), span.value().end());
        } else if (s == null || one || !joinedElements(m, s, spans, turns[i], turns[i + 1])) {
          encoded(json, m, MESSAGES, encoder::message);
        }
      }
      json.writeEndArray();
      skipTo(spans.messages.end());
    }

    /**
     * A turn joined from several elements ({@link Encoder#joinsTurn}) whose changed blocks are each
     * a whole element other than a message (a function call whose arguments were made canonical):
     * the other elements are copied, those written again ({@link Encoder#block}). False, with
     * nothing written, when the turn must be written whole.
     */
    private boolean joinedElements(Message now, Message before, BodySpans spans, int from, int to)
        throws IOException {
      if (now.content().size() != before.content().size() || !sameFields(now, before)) {
        return false;
      }
      List<BodySpans.MessageSpan> elements = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        BodySpans.MessageSpan e = spans.message(k);
        if (e == null) {
          return false;
        }
        elements.add(e);
      }
      int[] counts = new int[elements.size()];
      int total = 0;
      for (int k = 0; k < elements.size(); k++) {
        BodySpans.MessageSpan e = elements.get(k);
        boolean message = e.type() == null || e.type().equals("message");
        // a message element is read into as many blocks as its content has parts; any other, one
        counts[k] = !message ? 1 : e.content() == null ? -1 : e.content().elements().size();
        if (counts[k] < 0) {
          return false;
        }
        for (int j = total; j < total + counts[k] && j < now.content().size(); j++) {
          if (now.content().get(j) != before.content().get(j) && message) {
            return false;
          }
        }
        total += counts[k];
      }
      if (total != before.content().size()) {
        return false;
      }
      int at = 0;
      for (int k = 0; k < elements.size(); k++) {
        Block b = now.content().get(at);
        if (counts[k] == 1 && b != before.content().get(at)) {
          block(json, b);
        } else {
          copied(json, elements.get(k).value());
        }
        at += counts[k];
      }
      return true;
    }

    private JsonGenerator inner() throws IOException {
      if (inner == null) {
        inner = generator(out);
      }
      return inner;
    }

    /**
     * Whether {@code now} differs from {@code before} only in its tool calls, which the body has
     * as a member (and still has some: an empty {@code tool_calls} is refused).
     */
    private boolean sameButCalls(Message now, Message before, BodySpans.MessageSpan span) {
      if (!encoder.callsAreAMember() || span.toolCalls() == null || !sameFields(now, before)) {
        return false;
      }
      int j = 0;
      boolean calls = false;
      for (Block b : now.content()) {
        if (b instanceof Block.ToolUse) {
          calls = true;
          continue;
        }
        while (j < before.content().size() && before.content().get(j) instanceof Block.ToolUse) {
          j++;
        }
        if (j == before.content().size() || before.content().get(j++) != b) {
          return false;
        }
      }
      for (; j < before.content().size(); j++) {
        if (!(before.content().get(j) instanceof Block.ToolUse)) {
          return false;
        }
      }
      return calls;
    }

    private static List<Block.ToolUse> calls(List<Block> blocks) {
      List<Block.ToolUse> calls = new ArrayList<>();
      for (Block b : blocks) {
        if (b instanceof Block.ToolUse u) {
          calls.add(u);
        }
      }
      return calls;
    }

    /** Whether {@code now} differs from {@code before} only in its blocks, which the body has as its content. */
    private boolean sameButBlocks(Message now, Message before, BodySpans.MessageSpan span) {
      return encoder.blocksAreContent() && span.content() != null && !before.plainText() && sameFields(now, before)
          && span.content().elements().size() == before.content().size();
    }

    /** Whether the two messages differ in their blocks at most (role, form of content, other fields alike). */
    private static boolean sameFields(Message now, Message before) {
      return now.plainText() == before.plainText() && now.role().equals(before.role())
          && now.extra().equals(before.extra());
    }

    /** An array of {@code now}: the body's bytes for each element still the one read at its place. */
    private <T> void elements(JsonGenerator generator, List<T> now, List<T> before, List<BodySpans.Span> spans,
        ItemWriter<T> writer) throws IOException {
      generator.writeStartArray();
      for (int i = 0; i < now.size(); i++) {
        T item = now.get(i);
        if (i < before.size() && before.get(i) == item) {
          int last = unchangedFrom(now, before, i);
          copied(generator, new BodySpans.Span(spans.get(i).start(), spans.get(last).end()));
          i = last;
        } else {
          writer.write(generator, item);
        }
      }
      generator.writeEndArray();
    }

    /** The last of the items from {@code i} on that are still the ones read at their places. */
    private static <T> int unchangedFrom(List<T> now, List<T> before, int i) {
      int last = i;
      while (last + 1 < now.size() && last + 1 < before.size() && now.get(last + 1) == before.get(last + 1)) {
        last++;
      }
      return last;
    }

    private void block(JsonGenerator generator, Block b) throws IOException {
      encoded(generator, b, BLOCKS, encoder::block);
    }

    /**
     * What the encoder writes for {@code part} (none, one or several values), written in the
     * generator's current context; remembered by the part when the request is.
     */
    private <T> void encoded(JsonGenerator generator, T part, IdentityMemo<Object, Encoded> memo, ItemWriter<T> write)
        throws IOException {
      if (memory == null) {
        write.write(generator, part);
        return;
      }
      Encoded known = memo.get(memory, part);
      byte[] bytes;
      if (known != null && known.encoder() == encoder) {
        bytes = known.bytes();
      } else {
        ByteArrayOutputStream written = new ByteArrayOutputStream(256);
        try (JsonGenerator alone = Json.MAPPER.createGenerator(written)) {
          alone.setRootValueSeparator(COMMA);
          write.write(alone, part);
        }
        bytes = written.toByteArray();
        memo.put(memory, part, new Encoded(encoder, bytes));
      }
      if (bytes.length > 0) {
        generator.writeRawValue(NOTHING);
        flush();
        out.share(bytes, 0, bytes.length);
      }
    }

    /** An element of the generator's current array copied from the body. */
    private void copied(JsonGenerator generator, BodySpans.Span span) throws IOException {
      generator.writeRawValue(NOTHING);
      raw(span.start(), span.end());
    }

    /** Copies the body from where copying stopped up to {@code end}. */
    private void copyTo(int end) throws IOException {
      raw(copied, end);
      copied = end;
    }

    private void skipTo(int end) {
      copied = end;
    }

    private void raw(int start, int end) throws IOException {
      flush();
      out.share(body, start, end - start);
    }

    private void flush() throws IOException {
      json.flush();
      if (inner != null) {
        inner.flush();
      }
    }
  }

  /** What an encoder wrote for a part. */
  private record Encoded(Encoder encoder, byte[] bytes) {}

  /**
   * The body being written, as pieces: ranges of arrays that do not change (the client's body,
   * what an encoder wrote for a part and the memory keeps) where they are copied, and what the
   * generator writes (from a buffer it reuses) copied into arrays of its own. An agent's request
   * is mostly copied ranges, which go to the socket from the client's array instead of through a
   * new one of the body's size.
   */
  private static final class Output extends OutputStream {
    /** Shorter ranges are copied: a piece costs a slot in the composite buffer and the socket's write. */
    private static final int SHARED = 512;
    private static final int SCRATCH = 4096;
    private final List<ByteBuffer> pieces = new ArrayList<>();
    private byte[] scratch = new byte[SCRATCH];
    /** Where the scratch's bytes not yet in a piece start, and where they end. */
    private int from;
    private int at;

    @Override
    public void write(int b) {
      room(1);
      scratch[at++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, scratch, at, len);
      at += len;
    }

    /** A range of an array that will not change, sent from where it is when long enough to be worth a piece. */
    void share(byte[] b, int off, int len) {
      if (len < SHARED) {
        write(b, off, len);
        return;
      }
      settle();
      pieces.add(ByteBuffer.wrap(b, off, len));
    }

    List<ByteBuffer> pieces() {
      settle();
      return pieces;
    }

    private void room(int more) {
      if (at + more > scratch.length) {
        settle();
        scratch = new byte[Math.max(SCRATCH, more)];
        from = 0;
        at = 0;
      }
    }

    /** The scratch's bytes written since the last piece, as a piece. */
    private void settle() {
      if (at > from) {
        pieces.add(ByteBuffer.wrap(scratch, from, at - from));
        from = at;
      }
    }
  }
}
