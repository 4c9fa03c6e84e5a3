package io.tokenrouter.provider.openai;

import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.IntSupplier;

/**
 * Relays the events of an OpenAI-format stream as they are, looking only at what accounting
 * needs: the usage chunk, whether a chunk carries output, the finish, an error event.
 *
 * <p>The gateway always asks for usage. When the client did not, the usage-only chunk is
 * withheld and the {@code "usage":null} that OpenAI then adds to every chunk is cut out, so the
 * client sees the bytes it would have seen without the gateway.
 */
final class OpenAiStreamTap {
  private static final byte[] DONE = JsonTaps.ascii("[DONE]");
  private static final byte[] USAGE_OBJECT = JsonTaps.ascii("\"usage\":{");
  private static final byte[] USAGE_NULL = JsonTaps.ascii("\"usage\":null");
  private static final byte[] EMPTY_CHOICES = JsonTaps.ascii("\"choices\":[]");
  private static final byte[] CONTENT = JsonTaps.ascii("\"content\":\"");
  private static final byte[] REASONING = JsonTaps.ascii("\"reasoning_content\":\"");
  private static final byte[] REFUSAL = JsonTaps.ascii("\"refusal\":\"");
  private static final byte[] TOOL_CALLS = JsonTaps.ascii("\"tool_calls\":[");
  private static final byte[] FINISH = JsonTaps.ascii("\"finish_reason\":\"");
  private static final byte[] ERROR = JsonTaps.ascii("\"error\":");

  private final String provider;
  private final boolean clientWantsUsage;
  private final ChunkSink sink;
  private final IntSupplier promptEstimate;
  private final Runnable stopUpstream;
  private Usage usage;
  private int contentChunks;
  private boolean finished;
  private boolean done;
  private boolean ended;

  /** @param stopUpstream closes the upstream exchange when the stream ends on an error event */
  OpenAiStreamTap(String provider, boolean clientWantsUsage, ChunkSink sink, IntSupplier promptEstimate,
      Runnable stopUpstream) {
    this.provider = provider;
    this.clientWantsUsage = clientWantsUsage;
    this.sink = sink;
    this.promptEstimate = promptEstimate;
    this.stopUpstream = stopUpstream;
  }

  void onEvent(String event, byte[] data) {
    if (ended || done) {
      return;
    }
    if (data.length == DONE.length && JsonTaps.indexOf(data, DONE, 0) == 0) {
      done = true;
      return;
    }
    if (JsonTaps.contains(data, USAGE_OBJECT)) {
      Usage reported = OpenAiUsage.read(JsonTaps.topLevelField(data, "usage"));
      if (reported != null) {
        usage = reported;
      }
      if (!clientWantsUsage && JsonTaps.contains(data, EMPTY_CHOICES)) {
        return;
      }
    }
    if (data.length > 0 && data[0] == '{' && JsonTaps.indexOf(data, ERROR, 0) == 1) {
      String message = String.valueOf(JsonTaps.topLevelField(data, "error").path("message").asText("stream error"));
      end(new UpstreamException(UpstreamException.Kind.STREAM_ERROR, 502, "upstream_error",
          "upstream_stream_error", "Provider '" + provider + "' failed mid-stream: " + message));
      stopUpstream.run();
      return;
    }
    if (!finished && JsonTaps.contains(data, FINISH)) {
      finished = true;
    }
    boolean hasContent = hasOutput(data);
    if (hasContent) {
      contentChunks++;
    }
    sink.onChunk(Buffer.buffer(clientWantsUsage ? data : withoutNullUsage(data)), hasContent);
  }

  /** The upstream body ended ({@code error} null) or failed. */
  void onClose(UpstreamException error) {
    if (error == null && !done && !finished) {
      error = UpstreamException.protocol(provider, "the stream ended before the completion finished");
    }
    end(error);
  }

  private void end(UpstreamException error) {
    if (ended) {
      return;
    }
    ended = true;
    Usage result = usage != null ? usage : new Usage(promptEstimate.getAsInt(), contentChunks, 0, 0, true);
    sink.onEnd(result, error);
  }

  private static boolean hasOutput(byte[] data) {
    return nonEmptyString(data, CONTENT) || nonEmptyString(data, REASONING)
        || nonEmptyString(data, REFUSAL) || JsonTaps.contains(data, TOOL_CALLS);
  }

  private static boolean nonEmptyString(byte[] data, byte[] field) {
    int at = JsonTaps.indexOf(data, field, 0);
    return at >= 0 && at + field.length < data.length && data[at + field.length] != '"';
  }

  private static byte[] withoutNullUsage(byte[] data) {
    int at = JsonTaps.indexOf(data, USAGE_NULL, 0);
    if (at < 0) {
      return data;
    }
    int from = at;
    int to = at + USAGE_NULL.length;
    if (from > 0 && data[from - 1] == ',') {
      from--;
    } else if (to < data.length && data[to] == ',') {
      to++;
    }
    byte[] cut = new byte[data.length - (to - from)];
    System.arraycopy(data, 0, cut, 0, from);
    System.arraycopy(data, to, cut, from, data.length - to);
    return cut;
  }
}
