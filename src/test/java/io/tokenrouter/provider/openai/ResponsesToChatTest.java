package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.api.responses.ResponsesApi;
import io.tokenrouter.envelope.Envelope;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Translation matrix, Responses request → chat completions request. */
class ResponsesToChatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode chat(String responsesBody, String model) throws Exception {
    Envelope env = new ResponsesApi(null).read(responsesBody.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    return JSON.readTree(OpenAiRequestWriter.write(env, model).getBytes());
  }

  @Test
  void stringInputAndInstructions() throws Exception {
    assertThat(chat("{\"model\":\"m\",\"instructions\":\"Be brief.\",\"input\":\"Hi\"}", "gpt-4o"))
        .isEqualTo(JSON.readTree("""
            {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}"""));
  }

  @Test
  void messageItemsWithTextAndImagePartsAndDeveloperRole() throws Exception {
    JsonNode out = chat("""
        {"model":"m","input":[
          {"type":"message","role":"developer","content":"Use tools."},
          {"role":"user","content":[{"type":"input_text","text":"What is this?"},
            {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]},
          {"type":"message","role":"assistant","id":"msg_1","status":"completed",
           "content":[{"type":"output_text","text":"A square.","annotations":[]}]}]}""", "gpt-4o");

    assertThat(out.path("messages")).isEqualTo(JSON.readTree("""
        [{"role":"system","content":"Use tools."},
         {"role":"user","content":[{"type":"text","text":"What is this?"},
           {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},
         {"role":"assistant","content":"A square."}]"""));
  }

  @Test
  void functionCallsAndOutputsBecomeToolCallsAndToolMessages() throws Exception {
    JsonNode out = chat("""
        {"model":"m","input":[
          {"role":"user","content":"Weather in Paris and Rome?"},
          {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"},
          {"type":"function_call","id":"fc_1","call_id":"call_a","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
          {"type":"function_call","id":"fc_2","call_id":"call_b","name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"},
          {"type":"function_call_output","call_id":"call_a","output":"18C"},
          {"type":"function_call_output","call_id":"call_b","output":"25C"}]}""", "gpt-4o");

    assertThat(out.path("messages")).isEqualTo(JSON.readTree("""
        [{"role":"user","content":"Weather in Paris and Rome?"},
         {"role":"assistant","content":null,"tool_calls":[
           {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
           {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
         {"role":"tool","tool_call_id":"call_a","content":"18C"},
         {"role":"tool","tool_call_id":"call_b","content":"25C"}]"""));
  }

  @Test
  void flatFunctionToolsToolChoiceAndParallelCalls() throws Exception {
    JsonNode out = chat("""
        {"model":"m","input":"x","parallel_tool_calls":false,
         "tool_choice":{"type":"function","name":"get_weather"},
         "tools":[{"type":"function","name":"get_weather","description":"Weather","strict":true,
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}},
                  {"type":"web_search"}]}""", "gpt-4o");

    assertThat(out.path("tools")).isEqualTo(JSON.readTree("""
        [{"type":"function","function":{"name":"get_weather","description":"Weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""));
    assertThat(out.path("tool_choice")).isEqualTo(JSON.readTree(
        "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
    assertThat(out.path("parallel_tool_calls").asBoolean()).isFalse();
  }

  @Test
  void responsesSettingsTakeTheirChatNamesAndResponsesOnlyOnesAreLeftOut() throws Exception {
    JsonNode out = chat("""
        {"model":"m","input":"x","stream":true,"max_output_tokens":300,"store":false,
         "reasoning":{"effort":"high","summary":"auto"},"include":["reasoning.encrypted_content"],
         "prompt_cache_key":"session-1","temperature":0.2,"truncation":"auto",
         "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true},
                 "verbosity":"low"}}""", "gpt-5");

    assertThat(out).isEqualTo(JSON.readTree("""
        {"model":"gpt-5","messages":[{"role":"user","content":"x"}],"stream":true,"max_completion_tokens":300,
         "reasoning_effort":"high","prompt_cache_key":"session-1","temperature":0.2,
         "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},
           "strict":true}},
         "verbosity":"low","stream_options":{"include_usage":true}}"""));
  }
}
