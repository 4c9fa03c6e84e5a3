package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which tool the model must or may call.
 *
 * @param name the tool to call, for {@link Mode#TOOL}
 * @param raw for {@link Mode#OTHER}, a choice the gateway does not model, as sent in {@code dialect}
 */
public record ToolChoice(Mode mode, String name, Dialect dialect, JsonNode raw) {
  public enum Mode {
    /** The model decides. */
    AUTO,
    /** The model must call some tool (OpenAI's {@code required}, Anthropic's {@code any}). */
    ANY,
    /** The model must not call tools. */
    NONE,
    /** The model must call the named tool. */
    TOOL,
    /** Something else, forwarded as is to a provider of the same format. */
    OTHER
  }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null, null, null);
  public static final ToolChoice ANY = new ToolChoice(Mode.ANY, null, null, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null, null, null);

  public static ToolChoice tool(String name) {
    return new ToolChoice(Mode.TOOL, name, null, null);
  }
}
