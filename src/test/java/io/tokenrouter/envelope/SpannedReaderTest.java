package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpannedReaderTest {
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final SpannedReader reader = new SpannedReader(READER);

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode jackson(byte[] body) throws IOException {
    return READER.readTree(body);
  }

  /** An agent's turn: instructions, tools, then {@code rounds} rounds of messages; the last one marked. */
  private static String turn(int rounds, String between) {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      messages.add("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look at f" + i + ".java é\"}]}");
      messages.add("{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t" + i
          + "\",\"name\":\"Read\",\"input\":{\"path\":\"f" + i + "\",\"limit\":400}}]}");
    }
    messages.add("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"go on\","
        + "\"cache_control\":{\"type\":\"ephemeral\"}}]}");
    return "{\"model\":\"m\"," + between + "\"messages\":[" + String.join("," + between, messages) + "],"
        + between + "\"system\":\"be brief\",\"max_tokens\":1024,\"temperature\":0.5,\"stream\":true}";
  }

  @Test
  void aWholeReadIsJacksonsTreeWithTheBytesOfEveryValueAndElement() throws IOException {
    byte[] body = bytes(turn(5, " \n"));
    SpannedBody read = reader.whole(body);
    assertThat((JsonNode) read.object()).isEqualTo(jackson(body));
    assertEverySpanHoldsItsValue(body, read);
  }

  @Test
  void theNextTurnTakesOverTheMessagesItSharesAsTheSameNodes() throws IOException {
    SpannedBody first = reader.whole(bytes(turn(5, "")));
    byte[] body = bytes(turn(5, "").replace(",\"cache_control\":{\"type\":\"ephemeral\"}", "")
        .replace("\"go on\"}]}]", "\"go on\"}]},{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "{\"role\":\"user\",\"content\":\"more\"}]"));
    SpannedBody next = reader.after(body, first.members(), first.memory());
    assertThat((JsonNode) next.object()).isEqualTo(jackson(body));
    JsonNode was = first.object().get("messages");
    JsonNode now = next.object().get("messages");
    for (int i = 0; i < 10; i++) {
      assertThat(now.get(i)).as("message %d", i).isSameAs(was.get(i));
    }
    assertThat(now.get(10)).isNotSameAs(was.get(10));
    assertThat(next.object().get("system")).isSameAs(first.object().get("system"));
  }

  @Test
  void everySpanOfATakenOverBodyIsWhereItsBytesAre() throws IOException {
    SpannedBody first = reader.whole(bytes(turn(3, "")));
    byte[] body = bytes("{\"extra\":[1, 2]," + turn(4, "").substring(1));
    assertEverySpanHoldsItsValue(body, reader.after(body, first.members(), first.memory()));
  }

  private static void assertEverySpanHoldsItsValue(byte[] body, SpannedBody read) throws IOException {
    for (SpannedBody.Member m : read.members()) {
      assertThat(jackson(slice(body, m.start(), m.end()))).as(m.name()).isEqualTo(m.value());
      if (m.starts() != null) {
        for (int i = 0; i < m.starts().length; i++) {
          assertThat(jackson(slice(body, m.starts()[i], m.ends()[i]))).isEqualTo(m.value().get(i));
        }
      }
    }
  }

  @Test
  void anyEditOfTheBodyReadsAsJacksonReadsIt() throws IOException {
    String base = turn(6, "");
    SpannedBody first = reader.whole(bytes(base));
    Random random = new Random(7);
    String[] inserts = {"{}", "[]", "\"x\"", "1", " ", "null", "{\"a\":[1,{\"b\":\"c\"}]}", "\"\\u00e9\\\"\""};
    for (int round = 0; round < 400; round++) {
      int at = random.nextInt(base.length());
      String edited = switch (round % 3) {
        case 0 -> base.substring(0, at) + base.substring(at + 1);
        case 1 -> base.substring(0, at) + inserts[random.nextInt(inserts.length)] + base.substring(at);
        default -> base.substring(0, at) + (char) ('a' + random.nextInt(26)) + base.substring(at + 1);
      };
      byte[] body = bytes(edited);
      JsonNode expected;
      try {
        expected = jackson(body);
      } catch (IOException e) {
        assertThatThrownBy(() -> reader.after(body, first.members(), first.memory())).as(edited).isInstanceOfAny(IOException.class,
            RuntimeException.class);
        continue;
      }
      if (expected == null || !expected.isObject()) {
        continue;
      }
      try {
        assertThat((JsonNode) reader.after(body, first.members(), first.memory()).object()).as(edited).isEqualTo(expected);
      } catch (IOException e) {
        throw new AssertionError("refused valid JSON: " + edited, e);
      }
    }
  }

  @Test
  void refusesWhatIsNotOneObject() throws IOException {
    SpannedBody first = reader.whole(bytes(turn(2, "")));
    for (String bad : new String[] {"{\"model\":\"m\",}", "{\"model\":\"m\"} {}", "{\"model\":\"m\"", "[1]",
        "{\"a\":1,,\"b\":2}", "{\"a\":[1,]}", "{\"a\":01}", "{\"a\":tru}", "{a:1}", "{\"a\" 1}", ""}) {
      assertThatThrownBy(() -> reader.after(bytes(bad), first.members(), first.memory())).as(bad)
          .isInstanceOfAny(IOException.class, RuntimeException.class);
      assertThatThrownBy(() -> reader.whole(bytes(bad))).as(bad)
          .isInstanceOfAny(IOException.class, RuntimeException.class);
    }
  }

  @Test
  void readsNamesWithEscapesAndOtherCharacters() throws IOException {
    SpannedBody first = reader.whole(bytes(turn(1, "")));
    byte[] body = bytes("{\"a\\\"b\":1,\"é\":[true],\"\\u0041\":\"x\"}");
    assertThat((JsonNode) reader.after(body, first.members(), first.memory()).object()).isEqualTo(jackson(body));
  }

  @Test
  void aDuplicateNameKeepsTheLastValueAsJacksonDoes() throws IOException {
    SpannedBody first = reader.whole(bytes("{\"a\":[1],\"b\":2,\"a\":[3]}"));
    byte[] body = bytes("{\"a\":[1],\"b\":2,\"a\":[4]}");
    assertThat((JsonNode) first.object()).isEqualTo(jackson(bytes("{\"a\":[1],\"b\":2,\"a\":[3]}")));
    assertThat((JsonNode) reader.after(body, first.members(), first.memory()).object()).isEqualTo(jackson(body));
  }

  private static byte[] slice(byte[] body, int from, int to) {
    return Arrays.copyOfRange(body, from, to);
  }
}
