package io.tokenrouter.governance;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** The text a client reassembles from a stream's chunks. */
final class OpenAiRelayTestText {
  private OpenAiRelayTestText() {}

  static String of(List<String> events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      if (!e.startsWith("{")) {
        continue;
      }
      JsonObject chunk = new JsonObject(e);
      if (chunk.containsKey("choices") && !chunk.getJsonArray("choices").isEmpty()) {
        String c = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta", new JsonObject())
            .getString("content");
        if (c != null) {
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }
}
