package io.tokenrouter.provider;

import io.vertx.core.buffer.Buffer;

/**
 * A finished non-streamed reply.
 *
 * @param body an OpenAI {@code chat.completion} JSON document, ready to send to the client
 * @param usage what the provider reported, or an estimate marked as such
 */
public record Completion(Buffer body, Usage usage) {}
