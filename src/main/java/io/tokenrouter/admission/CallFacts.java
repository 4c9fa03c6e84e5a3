package io.tokenrouter.admission;

import io.tokenrouter.caller.Identity;

/**
 * What is known of a request before it goes upstream, for the checks to reserve against.
 *
 * @param model the name the client asked for
 * @param upstreamModel the provider's name for it (prices are looked up by this one)
 * @param promptTokens estimated prompt tokens (0 when no check needs an estimate)
 * @param outputTokens output tokens reserved: the request's cap, or a default when it has none
 * @param maxOutputTokens the output cap the request is sent with (the client's {@code max_tokens},
 *     or the key's or namespace's cap), or null when it has none
 * @param namespace the tenant namespace the request matched, or null
 */
public record CallFacts(Identity identity, Namespace namespace, String model, String upstreamModel, int promptTokens,
    int outputTokens, Integer maxOutputTokens) {
  public CallFacts {
    // a client's negative max_tokens must not turn a reservation into a refund
    outputTokens = Math.max(0, outputTokens);
    maxOutputTokens = maxOutputTokens == null ? null : Math.max(0, maxOutputTokens);
  }

  public int reservedTokens() {
    return promptTokens + outputTokens;
  }
}
