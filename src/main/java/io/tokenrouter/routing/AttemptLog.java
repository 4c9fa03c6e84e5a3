package io.tokenrouter.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts of a call that needed more than one, or whose only attempt failed, in order:
 * what the request's record keeps in its {@code attempts} column. A call whose first attempt
 * served it has none: its record says all there is to say, and rows stay lean.
 */
public final class AttemptLog {
  /** Present on a call once an attempt failed or a target was passed over. */
  public static final Attachment<AttemptLog> KEY = Attachment.named("attempts");

  /**
   * One attempt, or one target passed over (then {@code latencyMs} is 0 and {@code status} too).
   *
   * @param target {@code provider/model}
   * @param key the provider key's index, -1 when none was used
   * @param status the provider's HTTP status: 200 for the attempt that served the call, 0 when
   *     no status came (connect failure, timeout, skipped)
   * @param error the failure's code, or null
   */
  public record Attempt(String target, int key, int status, String error, int latencyMs) {}

  private final List<Attempt> attempts = new ArrayList<>(4);

  void add(Attempt attempt) {
    attempts.add(attempt);
  }

  /** The call's attempts as a JSON array, or null when its first attempt served it. */
  public static String json(Call call) {
    AttemptLog log = call.get(KEY);
    if (log == null) {
      return null;
    }
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Attempt a : log.attempts) {
      var node = array.addObject().put("target", a.target());
      if (a.key() >= 0) {
        node.put("key", a.key());
      }
      node.put("status", a.status());
      if (a.error() != null) {
        node.put("error", a.error());
      }
      node.put("ms", a.latencyMs());
    }
    try {
      return Json.MAPPER.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an array of plain values always serialises", e);
    }
  }
}
