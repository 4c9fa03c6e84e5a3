package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the parts of a Messages-shaped request body are, in bytes: the top-level {@code model},
 * {@code system}, {@code messages} and {@code tools} values, each element of those arrays, and
 * the content blocks and tool calls of each message. Found by one pass over the bytes ({@link JsonScan}) that
 * skips every value it does not need to look into, or, for a body read after its conversation's
 * previous turn, taken from where that read found its values ({@link SpannedBody}); the inside of a
 * message is looked into only when asked for, and for such a body remembered by its node.
 */
final class BodySpans {
  /** A value's bytes: from its first byte to just past its last. */
  record Span(int start, int end) {}

  /**
   * An array value and its elements, every one an object.
   */
  record Array(Span value, List<Span> elements) {}

  /**
   * A message object.
   *
   * @param content its {@code content} array, or null when the content is a string or the
   *     message names {@code content} more than once
   * @param toolCalls its {@code tool_calls} value (OpenAI's), or null when it has none or more
   *     than one
   * @param type its {@code type} string (the Responses API's items), or null
   * @param role its {@code role} string, or null
   * @param plainNames whether every member name, and the type and role, are spelled plainly
   *     (without escapes; else type and role may be missing though present)
   */
  record MessageSpan(Span value, Array content, Span toolCalls, String type, String role, boolean plainNames) {
    /** The same message found {@code by} bytes further on. */
    MessageSpan moved(int by) {
      return new MessageSpan(moved(value, by), content == null ? null : new Array(moved(content.value(), by),
          moved(content.elements(), by)), moved(toolCalls, by), type, role, plainNames);
    }

    private static List<Span> moved(List<Span> spans, int by) {
      Span[] moved = new Span[spans.size()];
      for (int i = 0; i < moved.length; i++) {
        moved[i] = moved(spans.get(i), by);
      }
      return Arrays.asList(moved);
    }

    private static Span moved(Span span, int by) {
      return span == null ? null : new Span(span.start() + by, span.end() + by);
    }
  }

  /** Where each message of a body read after a previous turn is inside, by its node: the same bytes wherever it is. */
  private static final IdentityMemo<JsonNode, MessageSpan> INSIDE = new IdentityMemo<>();

  /** Where the body's object opens. */
  final int open;
  final Span model;
  final Span system;
  final Array systemBlocks;
  final Span messages;
  final Array tools;
  private final JsonScan json;
  private final List<Span> messageValues;
  /** The messages' nodes and their conversation's memory, for a body read after a previous turn; else null. */
  private final JsonNode messageNodes;
  private final TurnMemory memory;
  private final MessageSpan[] messageList;

  private BodySpans(JsonScan json, int open, Span model, Span system, Array systemBlocks, Span messages,
      List<Span> messageValues, JsonNode messageNodes, TurnMemory memory, Array tools) {
    this.json = json;
    this.open = open;
    this.model = model;
    this.system = system;
    this.systemBlocks = systemBlocks;
    this.messages = messages;
    this.messageValues = messageValues;
    this.messageNodes = messageNodes;
    this.memory = memory;
    this.messageList = new MessageSpan[messageValues.size()];
    this.tools = tools;
  }

  /** The memory of the body's conversation, when the body was read after its previous turn; else null. */
  TurnMemory memory() {
    return memory;
  }

  int messageCount() {
    return messageValues.size();
  }

  /** The bytes of the body's {@code i}th message. */
  Span messageValue(int i) {
    return messageValues.get(i);
  }

  /** The {@code i}th message and what is inside it; null when it is not an object as a message is. */
  MessageSpan message(int i) {
    if (messageList[i] == null) {
      int start = messageValues.get(i).start();
      if (messageNodes == null) {
        messageList[i] = message(json, start);
      } else {
        JsonNode node = messageNodes.get(i);
        MessageSpan inside = INSIDE.get(memory, node);
        if (inside == null) {
          MessageSpan found = message(json, start);
          if (found != null) {
            INSIDE.put(memory, node, found.moved(-start));
          }
          messageList[i] = found;
        } else {
          messageList[i] = inside.moved(start);
        }
      }
    }
    return messageList[i];
  }

  /**
   * @param systemName the member holding the instructions ({@code system}; {@code instructions} in
   *     the Responses API)
   * @param messagesName the member holding the conversation ({@code messages}; {@code input} in
   *     the Responses API)
   * @return the spans; null when the body is not an object with one string {@code model} and one
   *     conversation array of objects, or names the instructions or {@code tools} twice, or spells
   *     a top-level name with an escape
   */
  static BodySpans scan(byte[] body, String systemName, String messagesName) {
    SpannedBody spanned = JsonBody.spannedOf(body);
    return spanned == null ? scanned(body, systemName, messagesName) : of(spanned, systemName, messagesName);
  }

  /** The spans as the read of a body after its previous turn found them; null as {@link #scan} says. */
  private static BodySpans of(SpannedBody body, String systemName, String messagesName) {
    JsonScan json = new JsonScan(body.bytes());
    Span model = null;
    Span system = null;
    Array systemBlocks = null;
    SpannedBody.Member messages = null;
    Array tools = null;
    boolean seenTools = false;
    for (SpannedBody.Member m : body.members()) {
      if (m.name().equals("model")) {
        if (model != null || json.at(m.start()) != '"') {
          return null;
        }
        model = new Span(m.start(), m.end());
      } else if (m.name().equals(systemName)) {
        if (system != null) {
          return null;
        }
        if (m.starts() != null) {
          systemBlocks = objects(json, m);
          if (systemBlocks == null) {
            return null;
          }
        }
        system = new Span(m.start(), m.end());
      } else if (m.name().equals(messagesName)) {
        if (messages != null || m.starts() == null) {
          return null;
        }
        messages = m;
        for (int start : m.starts()) {
          if (json.at(start) != '{') {
            return null;
          }
        }
      } else if (m.name().equals("tools")) {
        tools = seenTools || m.starts() == null ? null : objects(json, m);
        if (tools == null) {
          return null;
        }
        seenTools = true;
      }
    }
    return model == null || messages == null ? null
        : new BodySpans(json, json.skipSpace(0), model, system, systemBlocks, new Span(messages.start(),
            messages.end()), spans(messages.starts(), messages.ends()), messages.value(), body.memory(), tools);
  }

  private static Array objects(JsonScan json, SpannedBody.Member array) {
    for (int start : array.starts()) {
      if (json.at(start) != '{') {
        return null;
      }
    }
    return new Array(new Span(array.start(), array.end()), spans(array.starts(), array.ends()));
  }

  private static List<Span> spans(int[] starts, int[] ends) {
    List<Span> spans = new ArrayList<>(starts.length);
    for (int i = 0; i < starts.length; i++) {
      spans.add(new Span(starts[i], ends[i]));
    }
    return spans;
  }

  private static BodySpans scanned(byte[] body, String systemName, String messagesName) {
    JsonScan json = new JsonScan(body);
    Span model = null;
    Span system = null;
    Array systemBlocks = null;
    Span messages = null;
    List<Span> messageValues = null;
    Array tools = null;
    boolean seenTools = false;
    int open = json.skipSpace(0);
    JsonScan.Members top = json.members(open);
    while (top.next()) {
      int start = top.valueStart;
      if (top.nameIs("model")) {
        if (model != null || json.at(start) != '"' || top.valueEnd() < 0) {
          return null;
        }
        model = new Span(start, top.valueEnd());
      } else if (top.nameIs(systemName)) {
        if (system != null) {
          return null;
        }
        if (json.at(start) == '[') {
          systemBlocks = objects(json, start);
          if (systemBlocks == null) {
            return null;
          }
          top.valueEndsAt(systemBlocks.value().end());
        }
        if (top.valueEnd() < 0) {
          return null;
        }
        system = new Span(start, top.valueEnd());
      } else if (top.nameIs(messagesName)) {
        if (messages != null) {
          return null;
        }
        messageValues = new ArrayList<>();
        JsonScan.Elements each = json.elements(start);
        while (each.next()) {
          if (json.at(each.valueStart) != '{' || each.valueEnd() < 0) {
            return null;
          }
          messageValues.add(new Span(each.valueStart, each.valueEnd()));
        }
        if (each.failed()) {
          return null;
        }
        messages = new Span(start, each.closedAt());
        top.valueEndsAt(messages.end());
      } else if (top.nameIs("tools")) {
        tools = seenTools ? null : objects(json, start);
        if (tools == null) {
          return null;
        }
        seenTools = true;
        top.valueEndsAt(tools.value().end());
      } else if (json.escaped(top.nameStart, top.nameEnd)) {
        return null;
      }
    }
    return top.failed() || model == null || messages == null ? null
        : new BodySpans(json, open, model, system, systemBlocks, messages, messageValues, null, null, tools);
  }

  /** The message object at {@code start}; null when it is not one. */
  private static MessageSpan message(JsonScan json, int start) {
    if (json.at(start) != '{') {
      return null;
    }
    Array content = null;
    Span toolCalls = null;
    String type = null;
    String role = null;
    boolean seenContent = false;
    boolean seenCalls = false;
    boolean plainNames = true;
    JsonScan.Members members = json.members(start);
    while (members.next()) {
      if (json.escaped(members.nameStart, members.nameEnd)) {
        // a name spelled with escapes may be any of these: the message is then written whole
        content = null;
        toolCalls = null;
        seenContent = seenCalls = true;
        plainNames = false;
      } else if (members.nameIs("content")) {
        content = seenContent || json.at(members.valueStart) != '[' ? null : objects(json, members.valueStart);
        if (content != null) {
          members.valueEndsAt(content.value().end());
        }
        seenContent = true;
      } else if (members.nameIs("tool_calls")) {
        toolCalls = seenCalls || members.valueEnd() < 0 ? null : new Span(members.valueStart, members.valueEnd());
        seenCalls = true;
      } else if (members.nameIs("type")) {
        type = json.plainString(members.valueStart, members.valueEnd());
        plainNames &= type != null;
      } else if (members.nameIs("role")) {
        role = json.plainString(members.valueStart, members.valueEnd());
        plainNames &= role != null;
      }
    }
    return members.failed() ? null
        : new MessageSpan(new Span(start, members.closedAt()), content, toolCalls, type, role, plainNames);
  }

  /** The array of objects at {@code start}; null when it is not one. */
  private static Array objects(JsonScan json, int start) {
    List<Span> elements = new ArrayList<>();
    JsonScan.Elements each = json.elements(start);
    while (each.next()) {
      if (json.at(each.valueStart) != '{' || each.valueEnd() < 0) {
        return null;
      }
      elements.add(new Span(each.valueStart, each.valueEnd()));
    }
    return each.failed() ? null : new Array(new Span(start, each.closedAt()), elements);
  }
}
