package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalizerTest {
  private final Harness onlyCanonicalizer = new Harness("{ off: [ arranger, cache_injector ] }");

  private Envelope openAi(String body) {
    return onlyCanonicalizer.whole(Dialect.OPENAI_CHAT, body.getBytes(StandardCharsets.UTF_8)).envelope();
  }

  @Test
  void schemaKeysAreSortedAtEveryDepthArraysKeepTheirOrder() {
    Envelope e = openAi("""
        {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{
         "name":"t","parameters":{"type":"object","required":["b","a"],
         "properties":{"z":{"type":"string","enum":["y","x"]},"a":{"description":"d","type":"integer"}}}}}]}""");

    assertThat(e.tools().getFirst().schema().toString()).isEqualTo("{\"properties\":{\"a\":{\"description\":\"d\","
        + "\"type\":\"integer\"},\"z\":{\"enum\":[\"y\",\"x\"],\"type\":\"string\"}},\"required\":[\"b\",\"a\"],"
        + "\"type\":\"object\"}");
  }

  @Test
  void toolCallArgumentsAreCanonicalJson() {
    Envelope e = openAi("""
        {"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[
         {"id":"c","type":"function","function":{"name":"t","arguments":"{ \\"path\\": \\"a\\",\\n \\"n\\": 1.50, \\"big\\": 1e400 }"}}]},
         {"role":"tool","tool_call_id":"c","content":"r"}]}""");

    assertThat(((Block.ToolUse) e.messages().get(1).content().getFirst()).input()).isEqualTo("{\"big\":1E+400,\"n\":1.50,\"path\":\"a\"}");
  }

  @Test
  void aLongConversationsToolCallArgumentsAreCanonicalJsonToo() {
    Envelope e = openAi("""
        {"model":"m","messages":[{"role":"user","content":"%s"},{"role":"assistant","content":null,"tool_calls":[
         {"id":"c","type":"function","function":{"name":"t","arguments":"{ \\"path\\": \\"a\\", \\"n\\": 1 }"}}]},
         {"role":"tool","tool_call_id":"c","content":"r"}]}""".formatted("long ".repeat(4_000)));

    assertThat(e.memory()).as("read as a conversation's turn").isNotNull();
    assertThat(((Block.ToolUse) e.messages().get(1).content().getFirst()).input()).isEqualTo("{\"n\":1,\"path\":\"a\"}");
  }

  @Test
  void argumentsThatAreNotOneCleanJsonValueAreLeftAsTheModelWroteThem() {
    for (String args : new String[] {"{\\\"a\\\":1,\\\"a\\\":2}", "{\\\"a\\\":1} trailing", "not json", "\\\"text\\\""}) {
      Envelope e = openAi("""
          {"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[
           {"id":"c","type":"function","function":{"name":"t","arguments":"%s"}}]},
           {"role":"tool","tool_call_id":"c","content":"r"}]}""".formatted(args));

      assertThat(e.original()).as(args).isNotNull();
    }
  }

  @Test
  void instructionsAndToolDescriptionsLoseStrayWhitespaceConversationTextKeepsAllOfIt() {
    Envelope e = openAi("""
        {"model":"m","messages":[{"role":"system","content":"\\n  You are X.  \\r\\n\\r\\n\\n\\nRules:\\t\\n    - be brief \\n"},
         {"role":"user","content":"keep   \\n  this  \\n"}],
         "tools":[{"type":"function","function":{"name":"t","description":"Reads a file. \\n\\n\\n"}}]}""");

    assertThat(e.messages().getFirst().text()).isEqualTo("You are X.\n\nRules:\n    - be brief");
    assertThat(e.messages().get(1).text()).isEqualTo("keep   \n  this  \n");
    assertThat(e.tools().getFirst().description()).isEqualTo("Reads a file.");
  }

  @Test
  void aRequestAlreadyCanonicalIsTheSameEnvelope() {
    byte[] body = """
        {"model":"m","messages":[{"role":"system","content":"S."},{"role":"user","content":"hi "}],
         "tools":[{"type":"function","function":{"name":"t","description":"d","parameters":{"a":1,"b":{"c":2}}}}]}"""
        .getBytes(StandardCharsets.UTF_8);

    assertThat(onlyCanonicalizer.whole(Dialect.OPENAI_CHAT, body).envelope().original()).isEqualTo(body);
  }
}
