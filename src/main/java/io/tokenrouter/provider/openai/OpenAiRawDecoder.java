package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.Usage;
import java.util.function.Consumer;

/**
 * Relays an OpenAI-format answer to an OpenAI-format client as it is, looking only at what
 * accounting needs: the usage, whether an event carries output, the finish, an error event.
 *
 * <p>The gateway always asks for usage. When the client did not, the usage-only chunk is
 * withheld and the {@code "usage":null} that OpenAI then adds to every chunk is cut out, so the
 * client sees the bytes it would have seen without the gateway.
 */
final class OpenAiRawDecoder implements ReplyDecoder {
  // Searched for in each event's text (JsonTaps.latin1): one char per byte, so an index found
  // in the text is the same index in the bytes.
  private static final String DONE = "[DONE]";
  private static final String ERROR_EVENT = "{\"error\":";
  private static final String USAGE = "\"usage\":";
  private static final String NULL = "null";
  private static final String EMPTY_CHOICES = "\"choices\":[]";
  private static final String CONTENT = "\"content\":\"";
  private static final String REASONING = "\"reasoning_content\":\"";
  private static final String REFUSAL = "\"refusal\":\"";
  /** Legacy completions carry their output here. */
  private static final String TEXT = "\"text\":\"";
  private static final String TOOL_CALLS = "\"tool_calls\":[";
  private static final String FINISH = "\"finish_reason\":\"";

  private final String provider;
  private final boolean clientWantsUsage;
  private boolean finished;
  private boolean done;

  OpenAiRawDecoder(String provider, boolean clientWantsUsage) {
    this.provider = provider;
    this.clientWantsUsage = clientWantsUsage;
  }

  /** Reads the body's usage, without building a tree of the rest (see {@link JsonTaps#rootField}). */
  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    Usage reported = OpenAiUsage.read(JsonTaps.rootField(body, "usage", provider));
    String text = null;
    JsonNode choices = reported == null ? JsonTaps.topLevelField(body, "choices") : null;
    if (choices != null) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode choice : choices) {
        sb.append(choice.path("message").path("content").asText("")).append(choice.path("text").asText(""));
      }
      text = sb.toString();
    }
    out.accept(new ReplyEvent.Raw(null, body, true, text));
    if (reported != null) {
      out.accept(new ReplyEvent.UsageReport(reported));
    }
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    if (done) {
      return;
    }
    String text = JsonTaps.latin1(data);
    if (text.equals(DONE)) {
      done = true;
      return;
    }
    // an error event starts with its error; looking only there spares a search of every event
    if (text.startsWith(ERROR_EVENT)) {
      JsonNode error = JsonTaps.topLevelField(data, "error");
      String message = error == null ? "stream error" : error.path("message").asText("stream error");
      throw GatewayError.midStream(provider, message);
    }
    // one search finds both forms: a usage object to read, a "usage":null to cut out
    boolean usageObject = false;
    int usageNull = -1;
    for (int at = text.indexOf(USAGE); at >= 0; at = text.indexOf(USAGE, at + USAGE.length())) {
      int value = at + USAGE.length();
      if (value < text.length() && text.charAt(value) == '{') {
        usageObject = true;
      } else if (usageNull < 0 && text.startsWith(NULL, value)) {
        usageNull = at;
      }
    }
    if (usageObject) {
      Usage reported = OpenAiUsage.read(JsonTaps.topLevelField(data, "usage"));
      if (reported != null) {
        out.accept(new ReplyEvent.UsageReport(reported));
      }
      if (!clientWantsUsage && text.contains(EMPTY_CHOICES)) {
        return;
      }
    }
    if (!finished && text.contains(FINISH)) {
      finished = true;
    }
    byte[] relayed = clientWantsUsage || usageNull < 0 ? data : withoutNullUsage(data, usageNull);
    out.accept(ReplyEvent.Raw.event(null, relayed, hasOutput(text)));
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!done && !finished) {
      throw GatewayError.badResponse(provider, "the stream ended before the completion finished");
    }
  }

  private static boolean hasOutput(String text) {
    return nonEmptyString(text, CONTENT) || nonEmptyString(text, REASONING)
        || nonEmptyString(text, REFUSAL) || nonEmptyString(text, TEXT) || text.contains(TOOL_CALLS);
  }

  private static boolean nonEmptyString(String text, String field) {
    int at = text.indexOf(field);
    return at >= 0 && at + field.length() < text.length() && text.charAt(at + field.length()) != '"';
  }

  /** The data without the {@code "usage":null} at {@code at} and the comma that joined it to a neighbour. */
  private static byte[] withoutNullUsage(byte[] data, int at) {
    int from = at;
    int to = at + USAGE.length() + NULL.length();
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
