package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonScanTest {
  private static JsonScan scan(String json) {
    return new JsonScan(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsTheClosingQuoteAtEveryPlaceInAWord() {
    for (int length = 0; length < 20; length++) {
      String json = "\"" + "a".repeat(length) + "\",1";
      assertThat(scan(json).stringEnd(0)).as("length %d", length).isEqualTo(length + 2);
    }
  }

  @Test
  void stepsOverEscapedQuotesAndBackslashesWhereverTheyFall() {
    for (int pad = 0; pad < 10; pad++) {
      String string = "\"" + "x".repeat(pad) + "a\\\"b\\\\\"";
      assertThat(scan(string + " ").stringEnd(0)).as("pad %d", pad).isEqualTo(string.length());
    }
  }

  @Test
  void readsMultiByteTextAsBytes() {
    String string = "\"é 😀 \\u0022 ok\"";
    assertThat(scan(string + "}").stringEnd(0)).isEqualTo(string.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void anUnclosedStringHasNoEnd() {
    assertThat(scan("\"abcdefghijklmnop\\\"").stringEnd(0)).isEqualTo(-1);
  }

  @Test
  void aContainerEndsAtItsOwnClosingBracketWhateverItsStringsHold() {
    String value = "{\"a\":[1,{\"b\":\"]}[{\"}],\"c\":\"\\\\\"}";
    assertThat(scan(value + ",\"next\":2").valueEnd(0)).isEqualTo(value.length());
  }

  @Test
  void scalarsEndAtTheirDelimiter() {
    assertThat(scan("-12.5e3,").valueEnd(0)).isEqualTo(7);
    assertThat(scan("true}").valueEnd(0)).isEqualTo(4);
    assertThat(scan("null ]").valueEnd(0)).isEqualTo(4);
  }

  @Test
  void membersAreVisitedInOrderWithTheirValues() {
    String json = "{ \"a\" : 1 ,\"b\":{\"c\":[2]},\n\"d\":\"x\" }";
    JsonScan scan = scan(json);
    JsonScan.Members members = scan.members(0);
    List<String> seen = new ArrayList<>();
    while (members.next()) {
      seen.add(json.substring(members.nameStart, members.nameEnd) + "=" + json.substring(members.valueStart,
          members.valueEnd()));
    }
    assertThat(members.failed()).isFalse();
    assertThat(members.closedAt()).isEqualTo(json.length());
    assertThat(seen).containsExactly("\"a\"=1", "\"b\"={\"c\":[2]}", "\"d\"=\"x\"");
  }

  @Test
  void aValueReadByTheCallerIsNotScannedAgain() {
    String json = "{\"a\":[{\"b\":1}],\"c\":2}";
    JsonScan scan = scan(json);
    JsonScan.Members members = scan.members(0);
    members.next();
    JsonScan.Elements inner = scan.elements(members.valueStart);
    while (inner.next()) {
      inner.valueEnd();
    }
    members.valueEndsAt(inner.closedAt());

    assertThat(inner.closedAt()).isEqualTo(json.indexOf("],") + 1);
    assertThat(members.next()).isTrue();
    assertThat(members.nameIs("c")).isTrue();
  }

  @Test
  void anEmptyObjectAndAnEmptyArrayHaveNothingInThem() {
    JsonScan.Members members = scan("{ }").members(0);
    JsonScan.Elements elements = scan("[ ]").elements(0);
    assertThat(members.next()).isFalse();
    assertThat(members.failed()).isFalse();
    assertThat(elements.next()).isFalse();
    assertThat(elements.failed()).isFalse();
  }

  @Test
  void elementsAreVisitedInOrder() {
    String json = "[{\"a\":1}, \"s\" ,[2,3]]";
    JsonScan.Elements elements = scan(json).elements(0);
    List<String> seen = new ArrayList<>();
    while (elements.next()) {
      seen.add(json.substring(elements.valueStart, elements.valueEnd()));
    }
    assertThat(seen).containsExactly("{\"a\":1}", "\"s\"", "[2,3]");
  }

  @Test
  void textThatIsNotJsonFailsInsteadOfThrowing() {
    for (String broken : new String[] {"{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":", "{\"a\":\"x", "{\"a\":[1,2}",
        "{\"a\":1,}"}) {
      JsonScan.Members members = scan(broken).members(0);
      while (members.next()) {
        // visit whatever can be read
      }
      assertThat(members.failed()).as(broken).isTrue();
    }
  }

  @Test
  void recognisesNamesSpelledWithoutEscapes() {
    JsonScan scan = scan("\"model\" \"mod\\u0065l\"");
    assertThat(scan.nameIs(0, 7, "model")).isTrue();
    assertThat(scan.nameIs(8, 20, "model")).isFalse();
    assertThat(scan.escaped(8, 20)).isTrue();
    assertThat(scan.escaped(0, 7)).isFalse();
  }
}
