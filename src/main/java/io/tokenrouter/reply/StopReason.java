package io.tokenrouter.reply;

/**
 * Why a model stopped, in neutral terms. Each client API names these its own way (OpenAI's
 * {@code finish_reason}, Anthropic's {@code stop_reason}, the Responses API's status and
 * {@code incomplete_details}).
 */
public enum StopReason {
  /** The model finished its turn. */
  END_TURN,
  /** The output cap ({@code max_tokens}) was reached. */
  MAX_TOKENS,
  /** One of the request's stop sequences was generated. */
  STOP_SEQUENCE,
  /** The model wants its tool calls answered. */
  TOOL_USE,
  /** The answer was withheld by a content filter or refused. */
  REFUSAL,
  /** A long-running turn paused (Anthropic's server tools); the client continues it. */
  PAUSE_TURN,
  /** The context window filled up before the model finished. */
  CONTEXT_WINDOW
}
