package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * A request body's JSON object with where each of its top-level values lies in the bytes, and
 * each element of a top-level array: what {@link RecentBodies} needs to take a value over from
 * one body into the next.
 *
 * @param memory what was made of the parts of this body's conversation: shared by a body read
 *     after another with it
 */
record SpannedBody(byte[] bytes, ObjectNode object, Member[] members, TurnMemory memory) {

  /**
   * A top-level member: its value spans {@code [start, end)}; an array's elements span
   * {@code [starts[i], ends[i])}, and {@code starts} is null for any other value.
   */
  record Member(String name, JsonNode value, int start, int end, int[] starts, int[] ends) {
    /** The same member found {@code by} bytes further on in another body. */
    Member moved(int by) {
      if (by == 0) {
        return this;
      }
      return new Member(name, value, start + by, end + by, starts == null ? null : shifted(starts, by),
          starts == null ? null : shifted(ends, by));
    }

    private static int[] shifted(int[] at, int by) {
      int[] out = Arrays.copyOf(at, at.length);
      for (int i = 0; i < out.length; i++) {
        out[i] += by;
      }
      return out;
    }
  }

  /** The member of that name, or null. */
  Member member(String name) {
    for (Member m : members) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
