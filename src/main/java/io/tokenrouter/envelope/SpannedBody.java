package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request body's JSON object with where each of its top-level values lies in the bytes, and
 * each element of a top-level array: what {@link RecentBodies} needs to take a value over from
 * one body into the next, and what {@link EditedBody} needs to copy the body's bytes.
 *
 * @param object the body's object; null in a body found again for its spans and memory alone
 *     ({@link RecentBodies#lately})
 * @param memory what was made of the parts of this body's conversation: shared by a body read
 *     after another with it
 */
record SpannedBody(byte[] bytes, ObjectNode object, Member[] members, TurnMemory memory) {

  /**
   * A top-level member: its value spans {@code [start, end)}; an array's elements span
   * {@code [starts[i], ends[i])}, and {@code starts} is null for any other value. The bytes of a
   * value that can be taken over (an object, an array element, a string) are kept apart, in
   * {@code bytes} or {@code elements}, so that a body kept for the next turn does not keep the
   * whole request's array: a value taken over keeps the copy made when it was first read.
   */
  record Member(String name, JsonNode value, int start, int end, int[] starts, int[] ends, byte[] bytes,
      byte[][] elements) {}

  /** The first member of that name, or null. */
  static Member member(Member[] members, String name) {
    for (Member m : members) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
