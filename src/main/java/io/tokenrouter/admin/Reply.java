package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvent;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a resource's work answers: a status and a JSON body (or CSV text), and the events to
 * announce to every instance once the change is committed.
 *
 * @param csv the body as CSV instead of JSON, or null
 */
record Reply(int status, JsonObject json, String csv, List<ClusterEvent> events) {
  Reply {
    events = List.copyOf(events);
  }

  static Reply ok(JsonObject json) {
    return new Reply(200, json, null, List.of());
  }

  static Reply created(JsonObject json) {
    return new Reply(201, json, null, List.of());
  }

  static Reply changed(JsonObject json, List<ClusterEvent> events) {
    return new Reply(200, json, null, events);
  }

  static Reply csv(String text) {
    return new Reply(200, null, text, List.of());
  }
}
