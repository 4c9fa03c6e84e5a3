package io.tokenrouter.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicRequestWriterTest {

  private static JsonNode write(String openAiBody) throws Exception {
    Envelope env = new ChatCompletionsApi().read(openAiBody.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    return Json.MAPPER.readTree(AnthropicRequestWriter.write(env, "claude-x").getBytes());
  }

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void systemAndDeveloperMessagesBecomeSystemTextBlocksKeepingCacheControl() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[
          {"role":"system","content":[{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral"}},
                                      {"type":"text","text":""}]},
          {"role":"developer","content":"Be brief."},
          {"role":"user","content":"Hi"}]}
        """);
    assertThat(out.path("system")).isEqualTo(json("""
        [{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be brief."}]
        """));
    assertThat(out.path("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
  }

  @Test
  void noSystemFieldWhenThereIsNoSystemText() throws Exception {
    JsonNode out = write("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(out.has("system")).isFalse();
  }

  @Test
  void consecutiveSameRoleMessagesMergeAndEmptyTextIsNeverSent() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[
          {"role":"user","content":"One"},
          {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"Two"}]},
          {"role":"assistant","content":""},
          {"role":"user","content":"Three"},
          {"role":"assistant","content":"Answer"},
          {"role":"assistant","content":[{"type":"text","text":"More"}]}]}
        """);
    assertThat(out.path("messages")).isEqualTo(json("""
        [{"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"},{"type":"text","text":"Three"}]},
         {"role":"assistant","content":[{"type":"text","text":"Answer"},{"type":"text","text":"More"}]}]
        """));
  }

  @Test
  void imageUrlPartsBecomeImageBlocks() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[{"role":"user","content":[
          {"type":"text","text":"What is this?"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
          {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"},"cache_control":{"type":"ephemeral"}}]}]}
        """);
    assertThat(out.path("messages").get(0).path("content")).isEqualTo(json("""
        [{"type":"text","text":"What is this?"},
         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
         {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"},"cache_control":{"type":"ephemeral"}}]
        """));
  }

  @Test
  void toolCallsBecomeToolUseAndToolResultsMergeIntoOneUserTurn() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[
          {"role":"user","content":"Go"},
          {"role":"assistant","content":"Calling.","tool_calls":[
            {"id":"c1","type":"function","function":{"name":"a","arguments":"{\\"x\\":[1,2]}"}},
            {"id":"c2","type":"function","function":{"name":"b","arguments":"{broken"}}]},
          {"role":"tool","tool_call_id":"c1","content":"r1"},
          {"role":"tool","tool_call_id":"c2","content":""}]}
        """);
    assertThat(out.path("messages")).isEqualTo(json("""
        [{"role":"user","content":"Go"},
         {"role":"assistant","content":[{"type":"text","text":"Calling."},
           {"type":"tool_use","id":"c1","name":"a","input":{"x":[1,2]}},
           {"type":"tool_use","id":"c2","name":"b","input":{}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"r1"},
           {"type":"tool_result","tool_use_id":"c2"}]}]
        """));
  }

  @Test
  void toolsGetAnInputSchemaAndLoseOpenAiOnlyFields() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[{"role":"user","content":"Go"}],
         "tools":[{"type":"function","function":{"name":"noargs","strict":true}},
                  {"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","required":["q"]},
                                                 "cache_control":{"type":"ephemeral"}}},
                  {"type":"web_search_20250305","name":"web_search","max_uses":3}]}
        """);
    assertThat(out.path("tools")).isEqualTo(json("""
        [{"name":"noargs","input_schema":{"type":"object","properties":{}}},
         {"name":"f","description":"d","input_schema":{"type":"object","required":["q"]},"cache_control":{"type":"ephemeral"}},
         {"type":"web_search_20250305","name":"web_search","max_uses":3}]
        """));
    assertThat(out.has("tool_choice")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"auto\"|true|{\"type\":\"auto\"}",
      "\"required\"|true|{\"type\":\"any\"}",
      "\"none\"|true|{\"type\":\"none\"}",
      "\"none\"|false|{\"type\":\"none\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}|true|{\"type\":\"tool\",\"name\":\"f\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}|false|{\"type\":\"tool\",\"name\":\"f\",\"disable_parallel_tool_use\":true}",
      "null|false|{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"})
  void toolChoiceMapsToAnthropicShape(String choice, boolean parallel, String expected) throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[{"role":"user","content":"Go"}],"tool_choice":%s,"parallel_tool_calls":%s,
         "tools":[{"type":"function","function":{"name":"f"}}]}
        """.formatted(choice, parallel));
    assertThat(out.path("tool_choice")).isEqualTo(json(expected));
    assertThat(out.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void parametersAreMappedDroppedOrForwarded() throws Exception {
    JsonNode out = write("""
        {"model":"m","messages":[{"role":"user","content":"Go"}],"stream":true,
         "max_completion_tokens":300,"max_tokens":100,"temperature":0.7,"top_p":null,"stop":["a","b"],
         "user":"u1","metadata":{"user_id":"explicit"},"n":1,"presence_penalty":0,"frequency_penalty":0,
         "logprobs":true,"top_logprobs":2,"logit_bias":{},"response_format":{"type":"json_object"},"seed":1,
         "stream_options":{"include_usage":true},"service_tier":"auto","store":false,
         "top_k":5,"thinking":{"type":"enabled","budget_tokens":2000},"container":"c1"}
        """);
    assertThat(out).isEqualTo(json("""
        {"model":"claude-x","max_tokens":300,"messages":[{"role":"user","content":"Go"}],"stream":true,
         "temperature":0.7,"stop_sequences":["a","b"],"top_k":5,"thinking":{"type":"enabled","budget_tokens":2000},
         "container":"c1","metadata":{"user_id":"explicit"}}
        """));
  }

  @Test
  void maxTokensDefaultsWhenTheClientSetsNone() throws Exception {
    JsonNode out = write("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}]}");
    assertThat(out.path("max_tokens").asInt()).isEqualTo(AnthropicRequestWriter.DEFAULT_MAX_TOKENS);
    assertThat(out.has("stream")).isFalse();
  }

  @Test
  void aSingleStopStringBecomesASequenceList() throws Exception {
    JsonNode out = write("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}],\"stop\":\"\\n\\n\",\"max_tokens\":9}");
    assertThat(out.path("stop_sequences")).isEqualTo(json("[\"\\n\\n\"]"));
    assertThat(out.path("max_tokens").asInt()).isEqualTo(9);
  }
}
