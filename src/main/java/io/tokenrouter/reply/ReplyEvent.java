package io.tokenrouter.reply;

import java.util.Map;

/**
 * One piece of a model's answer in neutral terms, whatever the provider's wire format. A reply
 * is a sequence: {@link Start}, then content blocks ({@link BlockStart}, deltas,
 * {@link BlockStop}; text, reasoning and tool calls each in blocks of their own, numbered from
 * 0 in order of appearance), then {@link Stop}; {@link UsageReport}s may come at any point and
 * are cumulative. A non-streamed answer is the same sequence delivered at once.
 *
 * <p>When the client speaks the provider's own format the answer is not translated at all: it
 * arrives as {@link Raw} events (or one {@link Raw} body), relayed byte for byte, with the
 * neutral {@link UsageReport}s a tap read from them alongside.
 */
public sealed interface ReplyEvent {
  /** The answer began. {@code id} and {@code model} are the provider's, or null when it named none. */
  record Start(String id, String model) implements ReplyEvent {}

  /** A content block opened. {@code id} and {@code name} are set for tool calls only. */
  record BlockStart(int index, BlockKind kind, String id, String name) implements ReplyEvent {}

  /** Visible text. */
  record TextDelta(int index, String text) implements ReplyEvent {}

  /** Reasoning text (Anthropic's thinking, DeepSeek's {@code reasoning_content}). */
  record ThinkingDelta(int index, String thinking) implements ReplyEvent {}

  /** The signature that lets a thinking block be sent back on the next turn. */
  record SignatureDelta(int index, String signature) implements ReplyEvent {}

  /** A piece of a tool call's arguments: JSON text to concatenate. */
  record ToolInputDelta(int index, String partialJson) implements ReplyEvent {}

  /** A content block closed. */
  record BlockStop(int index) implements ReplyEvent {}

  /**
   * The answer is complete. {@code stopSequence} is the sequence that stopped it, when the
   * provider said which.
   */
  record Stop(StopReason reason, String stopSequence) implements ReplyEvent {}

  /** The answer to a token-counting request: what the prompt would cost in input tokens. */
  record TokenCount(int inputTokens) implements ReplyEvent {}

  /** Usage so far; a later report replaces an earlier one. */
  record UsageReport(Usage usage) implements ReplyEvent {}

  /**
   * Provider bytes in the client's own format, relayed unchanged: one Server-Sent Event
   * ({@code event} is its name, or null) or, for a non-streamed answer, the whole body.
   *
   * @param output whether this event carries generated output (time to first token is measured
   *     on the first one, and a stream cut short is estimated by counting them)
   * @param text the output text it carries, read only when the provider reported no usage for
   *     it (so the gateway can estimate); null otherwise
   */
  record Raw(String event, byte[] data, boolean output, String text) implements ReplyEvent {
    public static Raw event(String name, byte[] data, boolean output) {
      return new Raw(name, data, output, null);
    }
  }

  /**
   * The head of a provider's answer relayed as it is (a custom route): its status and the headers
   * worth passing on ({@code content-type}...). Comes before the answer's {@link Raw} bytes.
   */
  record Head(int status, Map<String, String> headers) implements ReplyEvent {
    public Head {
      headers = Map.copyOf(headers);
    }
  }

  /** What a content block holds. */
  enum BlockKind { TEXT, THINKING, REDACTED_THINKING, TOOL_USE }
}
