package io.tokenrouter.envelope;

/**
 * The most output tokens the answer may have.
 *
 * @param field the field the client set it with, written back the same way to a provider of its
 *     format ({@code max_tokens} or {@code max_completion_tokens}), or null when the gateway set it
 */
public record OutputLimit(int tokens, String field) {}
