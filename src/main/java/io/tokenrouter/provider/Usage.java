package io.tokenrouter.provider;

/**
 * Token usage of one request, normalised across providers.
 *
 * @param promptTokens all input tokens, cached ones included (OpenAI's definition)
 * @param completionTokens output tokens, reasoning included
 * @param cacheReadTokens input tokens served from the provider's prompt cache
 * @param cacheWriteTokens input tokens written to the provider's prompt cache
 * @param estimated true when the provider reported nothing and these are the gateway's count
 */
public record Usage(int promptTokens, int completionTokens, int cacheReadTokens, int cacheWriteTokens,
    boolean estimated) {
  public static final Usage NONE = new Usage(0, 0, 0, 0, false);

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
