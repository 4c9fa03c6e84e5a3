package io.tokenrouter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Fields;
import io.tokenrouter.envelope.IdentityMemo;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.TurnMemory;
import io.tokenrouter.pipeline.Chunks.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Places Anthropic prompt-cache breakpoints ({@code cache_control}) on a request, by Anthropic's
 * rules: at most four per request, the client's own counted first (in tools, system, messages,
 * and a top-level automatic one); a prefix shorter than the model's minimum is not cached, so no
 * breakpoint is spent on one; a breakpoint finds an earlier entry only within about 20 blocks
 * before it; an entry that lives an hour must come before one that lives five minutes.
 *
 * <p>A write costs more than plain input (1.25x), so breakpoints go only where the prefix will
 * likely be read again, in this order of worth:
 * <ol>
 *   <li>the end of the newest turn of a conversation under way: the next request repeats all of
 *       it, and reads it back;
 *   <li>the end of the previous request's newest turn, when more than a lookback's worth of
 *       blocks came since (many parallel tool calls), so the entry it wrote is still found;
 *   <li>the end of the system (or of the tools, without a system): what every conversation of
 *       the same agent shares;
 *   <li>the end of the tools, before a system that may differ between conversations (Claude
 *       Code's starts with a per-session line).
 * </ol>
 * Works for requests in Anthropic's format and for those translated to it, laid out as the
 * Anthropic request writer will write them.
 */
final class AnthropicBreakpoints {
  static final int MAX = 4;
  /**
   * A breakpoint this many blocks or more after the entry it should find needs a bridge. Anthropic
   * documents the lookback as about 20 blocks; two are kept in hand.
   */
  static final int BRIDGE_DISTANCE = 18;
  /**
   * Characters per token for the minimum-size check. Generous on purpose (Claude's tokenizer
   * gives about 3.5 on prose, fewer on code and JSON): a breakpoint on a prefix that turns out
   * too short costs nothing but its slot, while one left out of a prefix long enough costs the
   * whole read.
   */
  static final int CHARS_PER_TOKEN = 3;
  /** What an image counts as, in characters, for the minimum-size check (about 1,600 tokens). */
  private static final int IMAGE_CHARS = 1600 * CHARS_PER_TOKEN;
  private static final Set<String> MARKABLE_OPAQUE = Set.of("document", "search_result");
  static final ObjectNode FIVE_MINUTES = Json.MAPPER.createObjectNode().put("type", "ephemeral");
  static final ObjectNode ONE_HOUR = Json.MAPPER.createObjectNode().put("type", "ephemeral").put("ttl", "1h");

  private AnthropicBreakpoints() {}

  private enum Where { TOOL, SYSTEM, MESSAGE }

  /** A tool's characters: its schema written out is the larger part, the same tool every turn of a conversation. */
  private static final IdentityMemo<Tool, Long> TOOL_CHARS = new IdentityMemo<>();

  /**
   * One block of the prompt as Anthropic reads it.
   *
   * @param message for SYSTEM, -1 for the top-level system or the instruction message moved
   *     into it; for MESSAGE, the message
   * @param index its position among all blocks, tools first
   * @param chars characters of the prompt up to and including it
   * @param markable whether a breakpoint may be placed on it
   * @param marker the client's own breakpoint on it, or null
   */
  private record Spot(Where where, int message, int block, int index, long chars, boolean markable, JsonNode marker) {}

  /** {@code in} with the breakpoints worth adding; {@code in} itself when none is. */
  static Envelope place(Envelope in, int minTokens, boolean conversationStable) {
    boolean same = in.dialect() == Dialect.ANTHROPIC_MESSAGES;
    int free = MAX - Breakpoints.count(in);
    if (free <= 0) {
      return in;
    }
    List<Spot> spots = layout(in, same);
    Chunks chunks = Chunker.chunk(in, conversationStable);
    List<Spot> chosen = new ArrayList<>(free);
    long minChars = (long) minTokens * CHARS_PER_TOKEN;

    Chunk newest = chunks.newest();
    int tailIndex = -1;
    if (newest != null && newest.stable()) {
      Spot firstOfNewest = firstSpotFrom(spots, newest.from());
      Spot clientTail = lastMarkedFrom(spots, firstOfNewest);
      if (clientTail != null) {
        tailIndex = clientTail.index();
      } else {
        Spot tail = lastMarkable(spots, answeredMessage(in, newest, same));
        if (take(chosen, tail, minChars, free)) {
          tailIndex = tail.index();
        }
      }
    }
    Chunk lastTurn = chunks.lastTurn();
    if (tailIndex >= 0 && lastTurn != null) {
      Spot previous = lastMarkable(spots, answeredMessage(in, lastTurn, same));
      if (previous != null && tailIndex - previous.index() >= BRIDGE_DISTANCE && !markedBetween(spots, previous,
          tailIndex)) {
        take(chosen, previous, minChars, free);
      }
    }
    List<Spot> system = spots.stream().filter(s -> s.where() == Where.SYSTEM).toList();
    List<Spot> tools = spots.stream().filter(s -> s.where() == Where.TOOL).toList();
    if (!system.isEmpty()) {
      if (system.stream().noneMatch(s -> s.marker() != null)) {
        take(chosen, lastMarkable(system), minChars, free);
      }
      if (tools.stream().noneMatch(s -> s.marker() != null)) {
        take(chosen, lastMarkable(tools), minChars, free);
      }
    } else if (tools.stream().noneMatch(s -> s.marker() != null)) {
      take(chosen, lastMarkable(tools), minChars, free);
    }
    return chosen.isEmpty() ? in : mark(in, chosen, spots);
  }

  /** Adds {@code spot} when there is room, it is long enough and not taken; whether it did. */
  private static boolean take(List<Spot> chosen, Spot spot, long minChars, int free) {
    if (spot == null || chosen.size() >= free || spot.marker() != null || spot.chars() < minChars
        || chosen.contains(spot)) {
      return false;
    }
    chosen.add(spot);
    return true;
  }

  /**
   * The message whose end the next request will read back: the last one of {@code chunk} that is
   * not the model's (an assistant prefill is answered, not repeated) nor, in a translated
   * request, an instruction (which moves into the system).
   */
  private static int answeredMessage(Envelope in, Chunk chunk, boolean same) {
    for (int i = chunk.to() - 1; i >= chunk.from(); i--) {
      Message m = in.messages().get(i);
      if (!Message.ASSISTANT.equals(m.role()) && (same || !m.isInstruction())) {
        return i;
      }
    }
    return -1;
  }

  private static Spot firstSpotFrom(List<Spot> spots, int message) {
    for (Spot s : spots) {
      if (s.where() == Where.MESSAGE && s.message() >= message) {
        return s;
      }
    }
    return null;
  }

  /** The client's last breakpoint at or after {@code from}, or null. */
  private static Spot lastMarkedFrom(List<Spot> spots, Spot from) {
    if (from == null) {
      return null;
    }
    Spot last = null;
    for (int i = from.index(); i < spots.size(); i++) {
      if (spots.get(i).marker() != null) {
        last = spots.get(i);
      }
    }
    return last;
  }

  /** Whether a client breakpoint after {@code from}, before {@code beforeIndex}, is near enough to find its entry. */
  private static boolean markedBetween(List<Spot> spots, Spot from, int beforeIndex) {
    for (int i = from.index(); i < Math.min(beforeIndex, from.index() + BRIDGE_DISTANCE); i++) {
      if (spots.get(i).marker() != null) {
        return true;
      }
    }
    return false;
  }

  private static Spot lastMarkable(List<Spot> spots, int message) {
    if (message < 0) {
      return null;
    }
    Spot last = null;
    for (Spot s : spots) {
      if (s.where() == Where.MESSAGE && s.message() == message && s.markable()) {
        last = s;
      }
    }
    return last;
  }

  private static Spot lastMarkable(List<Spot> spots) {
    for (int i = spots.size() - 1; i >= 0; i--) {
      if (spots.get(i).markable()) {
        return spots.get(i);
      }
    }
    return null;
  }

  /** The blocks in Anthropic's reading order (tools, system, messages), as the request writer lays them out. */
  private static List<Spot> layout(Envelope in, boolean same) {
    List<Spot> spots = new ArrayList<>();
    long chars = 0;
    List<Tool> tools = in.tools();
    TurnMemory memory = tools.isEmpty() ? null : in.memory();
    for (int i = 0; i < tools.size(); i++) {
      Tool t = tools.get(i);
      chars += TOOL_CHARS.read(memory, t, AnthropicBreakpoints::length);
      boolean markable = t.isFunction() || t.dialect() == Dialect.ANTHROPIC_MESSAGES;
      JsonNode marker = t.isFunction() ? t.extra().get(Block.CACHE_CONTROL) : t.raw().get(Block.CACHE_CONTROL);
      spots.add(new Spot(Where.TOOL, -1, i, spots.size(), chars, markable, marker));
    }
    if (in.system() != null) {
      chars = system(spots, in.system(), -1, chars);
    }
    if (!same) {
      for (int i = 0; i < in.messages().size(); i++) {
        if (in.messages().get(i).isInstruction()) {
          chars = system(spots, in.messages().get(i), i, chars);
        }
      }
    }
    for (int i = 0; i < in.messages().size(); i++) {
      Message m = in.messages().get(i);
      if (!same && m.isInstruction()) {
        continue;
      }
      for (int j = 0; j < m.content().size(); j++) {
        Block b = m.content().get(j);
        if (!same && (b instanceof Block.Thinking || b instanceof Block.RedactedThinking
            || b instanceof Block.Text t && t.text().isEmpty())) {
          continue;
        }
        chars += length(b);
        spots.add(new Spot(Where.MESSAGE, i, j, spots.size(), chars, markable(b, same), marker(b)));
      }
    }
    return spots;
  }

  /** The block's own breakpoint, or one inside it (a tool result's content): either takes its slot there. */
  private static JsonNode marker(Block b) {
    JsonNode own = b.cacheControl();
    if (own != null || !(b instanceof Block.ToolResult r)) {
      return own;
    }
    JsonNode inner = null;
    for (Block c : r.content()) {
      inner = c.cacheControl() != null ? c.cacheControl() : inner;
    }
    return inner;
  }

  private static long system(List<Spot> spots, Message m, int message, long chars) {
    for (int j = 0; j < m.content().size(); j++) {
      if (m.content().get(j) instanceof Block.Text t && !t.text().isEmpty()) {
        chars += t.text().length();
        spots.add(new Spot(Where.SYSTEM, message, j, spots.size(), chars, true, t.cacheControl()));
      }
    }
    return chars;
  }

  private static boolean markable(Block b, boolean same) {
    return switch (b) {
      case Block.Text t -> !t.text().isEmpty();
      case Block.Image i -> true;
      case Block.ToolUse u -> true;
      case Block.ToolResult r -> true;
      case Block.Opaque o -> same && o.dialect() == Dialect.ANTHROPIC_MESSAGES && MARKABLE_OPAQUE.contains(o.type());
      case Block.Thinking t -> false;
      case Block.RedactedThinking r -> false;
    };
  }

  private static long length(Block b) {
    return switch (b) {
      case Block.Text t -> t.text().length();
      case Block.Image i -> IMAGE_CHARS;
      case Block.ToolUse u -> u.name().length() + u.input().length();
      case Block.ToolResult r -> {
        long n = 0;
        for (Block inner : r.content()) {
          n += length(inner);
        }
        yield n;
      }
      case Block.Thinking t -> t.thinking().length();
      case Block.RedactedThinking r -> r.data().length();
      case Block.Opaque o -> o.json().toString().length();
    };
  }

  private static long length(Tool t) {
    return length(t.name()) + length(t.description()) + (t.schema() == null ? 0 : t.schema().toString().length())
        + (t.raw() == null ? 0 : t.raw().toString().length());
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /** {@code in} with a breakpoint on each chosen block, an hour long where a client's hour-long one follows. */
  private static Envelope mark(Envelope in, List<Spot> chosen, List<Spot> spots) {
    List<Tool> tools = in.tools();
    Message system = in.system();
    List<Message> messages = in.messages();
    for (Spot s : chosen) {
      JsonNode marker = hourLongAfter(spots, s.index()) ? ONE_HOUR : FIVE_MINUTES;
      switch (s.where()) {
        case TOOL -> {
          tools = new ArrayList<>(tools);
          tools.set(s.block(), marked(tools.get(s.block()), marker));
        }
        case SYSTEM -> {
          if (s.message() < 0) {
            system = marked(system, s.block(), marker);
          } else {
            messages = new ArrayList<>(messages);
            messages.set(s.message(), marked(messages.get(s.message()), s.block(), marker));
          }
        }
        case MESSAGE -> {
          messages = new ArrayList<>(messages);
          messages.set(s.message(), marked(messages.get(s.message()), s.block(), marker));
        }
      }
    }
    return in.toBuilder().tools(tools).system(system).messages(messages).build();
  }

  private static boolean hourLongAfter(List<Spot> spots, int index) {
    for (int i = index + 1; i < spots.size(); i++) {
      JsonNode marker = spots.get(i).marker();
      if (marker != null && "1h".equals(marker.path("ttl").asText())) {
        return true;
      }
    }
    return false;
  }

  private static Tool marked(Tool t, JsonNode marker) {
    if (t.isFunction()) {
      return t.withExtra(Fields.with(t.extra(), Block.CACHE_CONTROL, marker));
    }
    ObjectNode raw = t.raw().deepCopy();
    raw.set(Block.CACHE_CONTROL, marker);
    return new Tool(t.type(), t.name(), t.description(), t.schema(), t.extra(), t.dialect(), raw);
  }

  /** The message with block {@code index} marked; no longer plain text, since a string has no place for a marker. */
  private static Message marked(Message m, int index, JsonNode marker) {
    List<Block> blocks = new ArrayList<>(m.content());
    blocks.set(index, marked(blocks.get(index), marker));
    return m.withContent(blocks, false);
  }

  private static Block marked(Block b, JsonNode marker) {
    return switch (b) {
      case Block.Text t -> new Block.Text(t.text(), Fields.with(t.extra(), Block.CACHE_CONTROL, marker));
      case Block.Image i -> new Block.Image(i.url(), Fields.with(i.extra(), Block.CACHE_CONTROL, marker));
      case Block.ToolUse u -> new Block.ToolUse(u.id(), u.name(), u.input(),
          Fields.with(u.extra(), Block.CACHE_CONTROL, marker));
      case Block.ToolResult r -> new Block.ToolResult(r.toolUseId(), r.content(), r.plainText(), r.isError(),
          Fields.with(r.extra(), Block.CACHE_CONTROL, marker));
      case Block.Opaque o -> {
        ObjectNode json = o.json().deepCopy();
        json.set(Block.CACHE_CONTROL, marker);
        yield new Block.Opaque(o.dialect(), o.type(), json);
      }
      case Block.Thinking t -> throw new IllegalArgumentException("thinking blocks take no breakpoint");
      case Block.RedactedThinking r -> throw new IllegalArgumentException("thinking blocks take no breakpoint");
    };
  }
}
