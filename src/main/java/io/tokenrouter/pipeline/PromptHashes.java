package io.tokenrouter.pipeline;

/**
 * What the {@link Hasher} found a request to be, as SHA-256 hex digests of its canonical form.
 *
 * @param shared tools and instructions: what every conversation of one agent shares (what OpenAI's
 *     {@code prompt_cache_key} is derived from)
 * @param prefix the stable prefix: tools, system and the stable part of the conversation
 * @param conversation tools, system and the conversation's first turn: the same for every request
 *     of one conversation (what session affinity keys on)
 * @param full the whole request, parameters included: equal only for requests that ask the same
 */
public record PromptHashes(String shared, String prefix, String conversation, String full) {
  /** The first characters of the prefix hash, enough to tell prefixes apart in a header or a log. */
  public String shortPrefix() {
    return prefix.substring(0, 16);
  }
}
