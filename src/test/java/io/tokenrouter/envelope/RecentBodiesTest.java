package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentBodiesTest {
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final RecentBodies recent = new RecentBodies(new SpannedReader(READER), 16L << 20);

  /** Turn {@code turns} of conversation {@code id}: each round about 1 KB. */
  private static byte[] turn(String id, int turns) {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < turns; i++) {
      messages.add("{\"role\":\"user\",\"content\":\"" + id + " round " + i + " " + "text ".repeat(200) + "\"}");
    }
    return ("{\"model\":\"m\",\"messages\":[" + String.join(",", messages) + "],\"max_tokens\":10}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** As {@link #turn}, after 34 KB of instructions every conversation has (the fingerprint falls in them). */
  private static byte[] instructedTurn(String id, int turns) {
    String body = new String(turn(id, turns), StandardCharsets.UTF_8);
    return body.replace("{\"model\":\"m\",", "{\"model\":\"m\",\"system\":\"" + "instructions ".repeat(2_700) + "\",")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** As {@link #turn}, each question answered "Done.": the same answer at the same place in every conversation. */
  private static byte[] answeredTurn(String id, int turns) {
    return new String(turn(id, turns), StandardCharsets.UTF_8)
        .replace(" \"}", " \"},{\"role\":\"assistant\",\"content\":\"Done.\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode read(byte[] body, String caller) {
    SpannedBody read = recent.read(body, caller, "messages");
    return read == null ? null : read.object();
  }

  private static JsonNode message(ObjectNode body, int i) {
    return body.get("messages").get(i);
  }

  @Test
  void theNextTurnTakesOverThePreviousTurnsMessages() throws IOException {
    ObjectNode first = read(turn("a", 20), "key-a");
    byte[] body = turn("a", 22);
    ObjectNode next = read(body, "key-a");

    assertThat((JsonNode) next).isEqualTo(READER.readTree(body));
    assertThat(message(next, 19)).isSameAs(message(first, 19));
  }

  @Test
  void bodiesPastTheLimitAreForgottenByTheThreadThatKeptTheNext() {
    RecentBodies small = new RecentBodies(new SpannedReader(READER), 200L << 10);
    ObjectNode first = small.read(turn("a", 20), "key-a", "messages").object();
    small.read(turn("b", 20), "key-b", "messages");
    small.read(turn("c", 20), "key-c", "messages");

    assertThat(message(small.read(turn("a", 22), "key-a", "messages").object(), 19)).isNotSameAs(message(first, 19));
  }

  @Test
  void theBoundIsATenthOfTheHeapAndNeverUnderSixteenMegabytes() {
    assertThat(RecentBodies.boundFor(512L << 20)).isEqualTo((512L << 20) / 10);
    assertThat(RecentBodies.boundFor(4L << 30)).isEqualTo((4L << 30) / 10);
    assertThat(RecentBodies.boundFor(64L << 20)).isEqualTo(16L << 20);
  }

  @Test
  void aTurnPastAPowerOfTwoStillFindsThePreviousOne() {
    byte[] before = turn("a", 30);
    byte[] after = turn("a", 34);
    assertThat(Integer.highestOneBit(after.length)).isGreaterThan(Integer.highestOneBit(before.length));

    ObjectNode first = read(before, "key-a");
    assertThat(message(read(after, "key-a"), 29)).isSameAs(message(first, 29));
  }

  @Test
  void conversationsInTurnEachFindTheirOwn() throws IOException {
    ObjectNode a = read(turn("a", 20), "key-a");
    ObjectNode b = read(turn("b", 20), "key-a");
    byte[] nextA = turn("a", 21);
    byte[] nextB = turn("b", 21);

    ObjectNode a2 = read(nextA, "key-a");
    ObjectNode b2 = read(nextB, "key-a");
    assertThat(message(a2, 0)).isSameAs(message(a, 0));
    assertThat(message(b2, 0)).isSameAs(message(b, 0));
    assertThat((JsonNode) b2).isEqualTo(READER.readTree(nextB));
  }

  @Test
  void aBodyThatIsNotAnObjectIsLeftToThePlainParse() {
    read(turn("a", 20), "key-a");
    byte[] broken = turn("a", 21);
    broken[broken.length - 1] = ',';

    assertThat(read(broken, "key-a")).isNull();
  }

  @Test
  void aBodyIsNeverReadAfterAnotherCallersBody() {
    ObjectNode mine = read(turn("a", 20), "key-a");
    ObjectNode theirs = read(turn("a", 21), "key-b");

    assertThat(message(theirs, 0)).isNotSameAs(message(mine, 0)).isEqualTo(message(mine, 0));
    assertThat(message(read(turn("a", 22), "key-a"), 0)).isSameAs(message(mine, 0));
  }

  @Test
  void aConversationKeepsItsMemoryAndAnotherFoundByTheSameBytesDoesNotShareIt() {
    SpannedBody a = recent.read(turn("a", 20), "key-a", "messages");
    SpannedBody b = recent.read(turn("b", 20), "key-a", "messages");
    SpannedBody nextA = recent.read(turn("a", 21), "key-a", "messages");

    assertThat(nextA.memory()).isSameAs(a.memory());
    assertThat(b.memory()).isNotSameAs(a.memory());
  }

  @Test
  void aTurnAmongConversationsSharingTheirStartContinuesItsOwn() {
    SpannedBody a = recent.read(instructedTurn("a", 20), "key-a", "messages");
    SpannedBody b = recent.read(instructedTurn("b", 20), "key-a", "messages");
    SpannedBody c = recent.read(instructedTurn("c", 20), "key-a", "messages");

    SpannedBody nextB = recent.read(instructedTurn("b", 21), "key-a", "messages");

    assertThat(nextB.memory()).isSameAs(b.memory()).isNotSameAs(a.memory()).isNotSameAs(c.memory());
    assertThat(message(nextB.object(), 19)).isSameAs(message(b.object(), 19));
    assertThat(nextB.object().get("system")).isSameAs(a.object().get("system"));
  }

  @Test
  void aConversationWhoseFirstMessageChangedStillContinuesItsMemory() {
    SpannedBody first = recent.read(turn("a", 20), "key-a", "messages");
    byte[] edited = new String(turn("a", 21), StandardCharsets.UTF_8).replace("a round 0 ", "A round 0 ")
        .getBytes(StandardCharsets.UTF_8);

    SpannedBody next = recent.read(edited, "key-a", "messages");

    assertThat(next.memory()).isSameAs(first.memory());
    assertThat(message(next.object(), 0)).isNotSameAs(message(first.object(), 0));
    assertThat(message(next.object(), 1)).isSameAs(message(first.object(), 1));
  }

  @Test
  void aTurnWhoseLastMessageLostItsBreakpointStillContinuesItsConversation() {
    String marked = "\"},{\"role\":\"user\",\"content\":\"a round 19 ";
    byte[] before = new String(turn("a", 20), StandardCharsets.UTF_8)
        .replace(marked, "\"},{\"cache_control\":{\"type\":\"ephemeral\"},\"role\":\"user\",\"content\":\"a round 19 ")
        .getBytes(StandardCharsets.UTF_8);
    SpannedBody first = recent.read(before, "key-a", "messages");

    SpannedBody next = recent.read(turn("a", 21), "key-a", "messages");

    assertThat(next.memory()).isSameAs(first.memory());
    assertThat(message(next.object(), 18)).isSameAs(message(first.object(), 18));
  }

  @Test
  void aTurnPastAPowerOfTwoFindsItsPreviousTurnBelowAnotherConversationAlreadyPastIt() {
    ObjectNode a = read(turn("a", 30), "key-a");
    read(turn("b", 34), "key-a");
    byte[] next = turn("a", 34);
    assertThat(Integer.highestOneBit(next.length)).isGreaterThan(Integer.highestOneBit(turn("a", 30).length));

    assertThat(message(read(next, "key-a"), 29)).isSameAs(message(a, 29));
  }

  @Test
  void anotherConversationWithTheSameAnswersAtTheSamePlacesIsNotTheOneContinued() {
    SpannedBody a = recent.read(answeredTurn("a", 20), "key-a", "messages");
    recent.read(answeredTurn("b", 21), "key-a", "messages");

    SpannedBody next = recent.read(answeredTurn("a", 21), "key-a", "messages");

    assertThat(next.memory()).isSameAs(a.memory());
    assertThat(message(next.object(), 38)).isSameAs(message(a.object(), 38));
  }

  @Test
  void aTurnFindsThePreviousOneWhenToolsAfterItsConversationCrossAPowerOfTwo() {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 3_000; i++) {
      names.append("tool").append(i).append(' ');
    }
    String tools = ",\"tools\":\"" + names + "\"}";
    byte[] before = new String(turn("a", 20), StandardCharsets.UTF_8).replaceFirst("}$", tools)
        .getBytes(StandardCharsets.UTF_8);
    byte[] after = new String(turn("a", 21), StandardCharsets.UTF_8).replaceFirst("}$", tools)
        .getBytes(StandardCharsets.UTF_8);
    // the window before the cut falls among the tools, which the next turn has further on
    assertThat(Integer.highestOneBit(after.length)).isGreaterThan(before.length - tools.length());

    ObjectNode first = read(before, "key-a");
    assertThat(message(read(after, "key-a"), 19)).isSameAs(message(first, 19));
  }

  @Test
  void aTurnWhoseToolsOutweighItsConversationFindsThePreviousOne() {
    StringBuilder tools = new StringBuilder(",\"tools\":[");
    for (int i = 0; i < 400; i++) {
      tools.append(i == 0 ? "" : ",").append("{\"name\":\"tool").append(i).append("\",\"description\":\"")
          .append("does thing ").append(i).append(' ').append("with care ".repeat(10)).append("\"}");
    }
    String tail = tools + "]}";
    byte[] before = new String(turn("a", 8), StandardCharsets.UTF_8).replaceFirst("}$", tail)
        .getBytes(StandardCharsets.UTF_8);
    byte[] after = new String(turn("a", 9), StandardCharsets.UTF_8).replaceFirst("}$", tail)
        .getBytes(StandardCharsets.UTF_8);
    assertThat(tail.length()).isGreaterThan(4 * (before.length - tail.length()));

    ObjectNode first = read(before, "key-a");
    assertThat(message(read(after, "key-a"), 7)).isSameAs(message(first, 7));
  }
}
