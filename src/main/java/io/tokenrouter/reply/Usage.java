package io.tokenrouter.reply;

/**
 * Token usage of one request, normalised across providers and client APIs. Every translation
 * carries all of it: a client in either format sees cache reads and writes in its own semantics.
 *
 * @param promptTokens all input tokens, cached ones included (OpenAI's definition); Anthropic's
 *     {@code input_tokens} is this minus cache reads and writes
 * @param completionTokens output tokens, reasoning included
 * @param cacheReadTokens input tokens served from the provider's prompt cache
 * @param cacheWriteTokens input tokens written to the provider's prompt cache, whatever their TTL
 * @param cacheWrite1hTokens the part of the cache writes kept for an hour (billed higher than the
 *     default five minutes)
 * @param reasoningTokens the part of the output spent on reasoning
 * @param estimated true when the provider reported nothing and these are the gateway's count
 */
public record Usage(int promptTokens, int completionTokens, int cacheReadTokens, int cacheWriteTokens,
    int cacheWrite1hTokens, int reasoningTokens, boolean estimated) {
  public static final Usage NONE = new Usage(0, 0, 0, 0, false);

  public Usage(int promptTokens, int completionTokens, int cacheReadTokens, int cacheWriteTokens, boolean estimated) {
    this(promptTokens, completionTokens, cacheReadTokens, cacheWriteTokens, 0, 0, estimated);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Input neither read from nor written to a cache (Anthropic's {@code input_tokens}). */
  public int uncachedInputTokens() {
    return Math.max(0, promptTokens - cacheReadTokens - cacheWriteTokens);
  }

  /** This usage with the output raised to at least {@code tokens} and marked as an estimate. */
  public Usage withOutputAtLeast(int tokens) {
    return new Usage(promptTokens, Math.max(completionTokens, tokens), cacheReadTokens, cacheWriteTokens,
        cacheWrite1hTokens, reasoningTokens, true);
  }
}
