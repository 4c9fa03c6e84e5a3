package io.tokenrouter.provider.openai;

import io.tokenrouter.envelope.EditedBody;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.OriginalBody;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
  private static final byte[] COMMA = {','};

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
    List<ByteBuffer> body = original != null ? List.of(ByteBuffer.wrap(original))
        : edits == null ? null : EditedBody.write(env, model, edits);
    if (body == null) {
      return null;
    }
    if (!env.stream() || env.clientWantsStreamUsage()) {
      return RequestBodies.of(body);
    }
    return env.params().containsKey("stream_options") ? null : added(body);
  }

  /**
   * @param body a JSON object, as the client sent it (already parsed, so well formed), in pieces
   *     sent one after the other ({@link EditedBody#write}), its opening brace in the first
   */
  static Buffer added(List<ByteBuffer> body) {
    ByteBuffer first = body.getFirst();
    int open = first.position();
    while (first.get(open) != '{') {
      open++;
    }
    List<ByteBuffer> out = new ArrayList<>(body.size() + 2);
    out.add(first.duplicate().limit(open + 1));
    out.add(ByteBuffer.wrap(MEMBER));
    if (!emptyAfter(body, open + 1)) {
      out.add(ByteBuffer.wrap(COMMA));
    }
    out.add(first.duplicate().position(open + 1));
    out.addAll(body.subList(1, body.size()));
    return RequestBodies.of(out);
  }

  /** Whether the first byte after the first piece's {@code from} that is not white space closes the object. */
  private static boolean emptyAfter(List<ByteBuffer> body, int from) {
    for (ByteBuffer piece : body) {
      for (int i = piece == body.getFirst() ? from : piece.position(); i < piece.limit(); i++) {
        if (!isWhitespace(piece.get(i))) {
          return piece.get(i) == '}';
        }
      }
    }
    return false;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }
}
