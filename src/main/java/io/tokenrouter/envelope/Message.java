package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One conversation turn.
 *
 * @param role system, developer, user, assistant or tool
 * @param content the parts, or null when the turn has no content (an assistant turn that only
 *     calls tools)
 * @param plainText the content arrived as a plain string, and is written back as one where the
 *     target format allows it (some OpenAI-compatible servers reject part arrays)
 * @param toolCalls tool calls made by an assistant turn
 * @param toolCallId for a tool turn, the call it answers
 * @param extra the message's other fields (name, refusal, reasoning_content...), forwarded as is
 */
public record Message(
    String role,
    List<Part> content,
    boolean plainText,
    List<ToolCall> toolCalls,
    String toolCallId,
    ObjectNode extra) {

  public Message {
    content = content == null ? null : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** The concatenated text parts; empty when there are none. */
  public String text() {
    if (content == null) {
      return "";
    }
    if (content.size() == 1) {
      return content.getFirst().textOrEmpty();
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : content) {
      sb.append(p.textOrEmpty());
    }
    return sb.toString();
  }
}
