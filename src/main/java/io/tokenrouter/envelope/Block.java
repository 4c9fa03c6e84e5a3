package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One piece of a message's content. The kinds both OpenAI and Anthropic know are typed, so that
 * adapters can translate them; anything else is kept {@link Opaque}. Every block keeps the fields
 * it was sent with that the gateway does not interpret ({@code cache_control}, {@code citations},
 * OpenAI's image {@code detail}...) in {@link #extra()}, in arrival order.
 */
public sealed interface Block {
  String CACHE_CONTROL = "cache_control";

  Map<String, JsonNode> extra();

  /** This block's {@code cache_control} marker (an Anthropic prompt-cache breakpoint), or null. */
  default JsonNode cacheControl() {
    return extra().get(CACHE_CONTROL);
  }

  /** Visible text. */
  record Text(String text, Map<String, JsonNode> extra) implements Block {
    public Text {
      extra = Fields.copy(extra);
    }

    public static Text of(String text) {
      return new Text(text, null);
    }
  }

  /**
   * An image, by URL; inline images are {@code data:<media type>;base64,<data>} URLs, OpenAI's
   * form, which Anthropic's base64 source translates to and from without loss.
   */
  record Image(String url, Map<String, JsonNode> extra) implements Block {
    public Image {
      extra = Fields.copy(extra);
    }
  }

  /** A tool call made by the model; {@code input} is its arguments as JSON text, as produced. */
  record ToolUse(String id, String name, String input, Map<String, JsonNode> extra) implements Block {
    public ToolUse {
      extra = Fields.copy(extra);
    }
  }

  /**
   * The answer to a tool call.
   *
   * @param plainText the content arrived as a plain string
   * @param isError the tool failed (Anthropic's {@code is_error})
   */
  record ToolResult(String toolUseId, List<Block> content, boolean plainText, boolean isError,
      Map<String, JsonNode> extra) implements Block {
    public ToolResult {
      content = content == null ? List.of() : List.copyOf(content);
      extra = Fields.copy(extra);
    }
  }

  /** The model's reasoning, with the signature that lets it be sent back. */
  record Thinking(String thinking, String signature, Map<String, JsonNode> extra) implements Block {
    public Thinking {
      extra = Fields.copy(extra);
    }
  }

  /** Reasoning the provider withheld, as an opaque token to send back. */
  record RedactedThinking(String data, Map<String, JsonNode> extra) implements Block {
    public RedactedThinking {
      extra = Fields.copy(extra);
    }
  }

  /**
   * A block the gateway does not model (a document, a search result, an audio input...), kept
   * whole as the client sent it in {@code dialect}.
   */
  record Opaque(Dialect dialect, String type, JsonNode json) implements Block {
    @Override
    public Map<String, JsonNode> extra() {
      return Map.of();
    }

    @Override
    public JsonNode cacheControl() {
      return json.get(CACHE_CONTROL);
    }
  }
}
