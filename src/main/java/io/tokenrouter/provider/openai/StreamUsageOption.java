package io.tokenrouter.provider.openai;

import io.tokenrouter.envelope.EditedBody;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.OriginalBody;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A client's own streaming request with {@code "stream_options":{"include_usage":true}} put first
 * in its object, so the stream ends with usage: how an unchanged request that did not ask for
 * usage still goes out as the client's bytes (its numbers, field order and unknown fields as
 * sent) instead of being written again from the parsed request. Only for a body with no
 * {@code stream_options} of its own: a second member of that name would be read differently by
 * different servers.
 */
final class StreamUsageOption {
  private static final byte[] MEMBER = "\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);

  private StreamUsageOption() {}

  /**
   * An unchanged request's own bytes for an OpenAI-format server (the provider's model name, and a
   * stream's usage option, put in); null when the request must be written from the envelope.
   */
  static Buffer clientBytes(Envelope env, String model) {
    return clientBytes(env, model, null);
  }

  /**
   * As {@link #clientBytes(Envelope, String)}, and for a request a stage changed, the client's
   * bytes with only the changed parts written by {@code edits} ({@link EditedBody}).
   */
  static Buffer clientBytes(Envelope env, String model, EditedBody.Encoder edits) {
    byte[] original = OriginalBody.of(env, model);
    ByteBuffer body = original != null ? ByteBuffer.wrap(original)
        : edits == null ? null : EditedBody.write(env, model, edits);
    if (body == null) {
      return null;
    }
    if (!env.stream() || env.clientWantsStreamUsage()) {
      return RequestBodies.of(body);
    }
    return env.params().containsKey("stream_options") ? null : added(body.array(), body.limit());
  }

  /**
   * @param body a JSON object, as the client sent it (already parsed, so well formed), in the
   *     array's first {@code length} bytes
   */
  static Buffer added(byte[] body, int length) {
    int open = 0;
    while (body[open] != '{') {
      open++;
    }
    int next = open + 1;
    while (next < length && isWhitespace(body[next])) {
      next++;
    }
    boolean empty = next < length && body[next] == '}';
    Buffer out = Buffer.buffer(length + MEMBER.length + 1);
    out.appendBytes(body, 0, open + 1).appendBytes(MEMBER);
    if (!empty) {
      out.appendByte((byte) ',');
    }
    return out.appendBytes(body, open + 1, length - open - 1);
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }
}
