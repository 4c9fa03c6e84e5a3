package io.tokenrouter.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.api.responses.ResponsesApi;
import io.tokenrouter.envelope.Envelope;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Translation matrix, Responses request → Anthropic Messages request. */
class ResponsesToMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode messages(String responsesBody) throws Exception {
    Envelope env = new ResponsesApi(null).read(responsesBody.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    return JSON.readTree(AnthropicRequestWriter.write(env, "claude-sonnet-4-5").getBytes());
  }

  @Test
  void instructionsAndDeveloperMessagesBecomeTheSystemPrompt() throws Exception {
    JsonNode out = messages("""
        {"model":"m","instructions":"Be brief.","max_output_tokens":500,
         "input":[{"role":"developer","content":"Use tools."},{"role":"user","content":"Hi"}]}""");

    assertThat(out).isEqualTo(JSON.readTree("""
        {"model":"claude-sonnet-4-5","max_tokens":500,
         "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use tools."}],
         "messages":[{"role":"user","content":"Hi"}]}"""));
  }

  @Test
  void functionCallsAndOutputsBecomeToolUseAndToolResultBlocks() throws Exception {
    JsonNode out = messages("""
        {"model":"m","input":[
          {"role":"user","content":"Weather in Paris and Rome?"},
          {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"},
          {"type":"message","role":"assistant","id":"msg_1","status":"completed",
           "content":[{"type":"output_text","text":"Checking.","annotations":[],"logprobs":[]}]},
          {"type":"function_call","call_id":"call_a","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
          {"type":"function_call","call_id":"call_b","name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"},
          {"type":"function_call_output","call_id":"call_a","output":"18C"},
          {"type":"function_call_output","call_id":"call_b","output":"25C"}]}""");

    assertThat(out.path("messages")).isEqualTo(JSON.readTree("""
        [{"role":"user","content":"Weather in Paris and Rome?"},
         {"role":"assistant","content":[{"type":"text","text":"Checking."},
           {"type":"tool_use","id":"call_a","name":"get_weather","input":{"city":"Paris"}},
           {"type":"tool_use","id":"call_b","name":"get_weather","input":{"city":"Rome"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_a","content":"18C"},
           {"type":"tool_result","tool_use_id":"call_b","content":"25C"}]}]"""));
  }

  @Test
  void toolsToolChoiceAndParallelCalls() throws Exception {
    JsonNode out = messages("""
        {"model":"m","input":"x","tool_choice":"required","parallel_tool_calls":false,
         "tools":[{"type":"function","name":"get_weather","description":"Weather","strict":true,
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}},
                  {"type":"web_search"}]}""");

    assertThat(out.path("tools")).isEqualTo(JSON.readTree("""
        [{"name":"get_weather","description":"Weather",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]"""));
    assertThat(out.path("tool_choice")).isEqualTo(JSON.readTree(
        "{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
  }

  @Test
  void responsesOnlySettingsAreLeftOut() throws Exception {
    JsonNode out = messages("""
        {"model":"m","input":"x","stream":true,"store":false,"reasoning":{"effort":"high"},
         "include":["reasoning.encrypted_content"],"prompt_cache_key":"s","temperature":0.2,
         "text":{"format":{"type":"text"}},"truncation":"auto"}""");

    assertThat(out).isEqualTo(JSON.readTree("""
        {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":"x"}],
         "stream":true,"temperature":0.2}"""));
  }
}
