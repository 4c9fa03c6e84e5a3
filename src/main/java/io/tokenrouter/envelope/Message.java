package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One conversation turn.
 *
 * <p>Tool calls are {@link Block.ToolUse} blocks of an assistant turn; answers to them are
 * {@link Block.ToolResult} blocks, inside a {@code user} turn (Anthropic's form) or alone in a
 * {@code tool} turn (OpenAI's form).
 *
 * @param role system, developer, user, assistant or tool
 * @param content the blocks in order; empty when the turn has none (an OpenAI assistant turn that
 *     only calls tools)
 * @param plainText the content arrived as a plain string, and is written back as one where the
 *     target format allows it (some servers reject part arrays)
 * @param extra the message's other fields ({@code name}, {@code refusal}...), forwarded as is
 */
public record Message(String role, List<Block> content, boolean plainText, Map<String, JsonNode> extra) {
  public static final String SYSTEM = "system";
  public static final String DEVELOPER = "developer";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  public Message {
    role = known(role);
    content = content == null ? List.of() : List.copyOf(content);
    extra = Fields.copy(extra);
  }

  public static Message text(String role, String text) {
    return new Message(role, List.of(Block.Text.of(text)), true, null);
  }

  /**
   * The constant for a role the gateway knows, so that comparing it is comparing references (a
   * read message's role is a new string each time; the stages compare roles of every message of a
   * request, several times).
   */
  private static String known(String role) {
    if (role == null) {
      return null;
    }
    return switch (role) {
      case USER -> USER;
      case ASSISTANT -> ASSISTANT;
      case TOOL -> TOOL;
      case SYSTEM -> SYSTEM;
      case DEVELOPER -> DEVELOPER;
      default -> role;
    };
  }

  /** System or developer instructions. */
  public boolean isInstruction() {
    return SYSTEM.equals(role) || DEVELOPER.equals(role);
  }

  /** The concatenated visible text of the text blocks; empty when there are none. */
  public String text() {
    if (content.size() == 1 && content.getFirst() instanceof Block.Text t) {
      return t.text();
    }
    StringBuilder sb = new StringBuilder();
    for (Block b : content) {
      if (b instanceof Block.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  public Message withContent(List<Block> blocks, boolean plain) {
    return new Message(role, blocks, plain, extra);
  }
}
