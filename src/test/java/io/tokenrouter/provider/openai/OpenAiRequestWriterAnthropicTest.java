package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.api.anthropic.MessagesApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link OpenAiRequestWriter} for a request that arrived in Anthropic's format: a translation. */
class OpenAiRequestWriterAnthropicTest {
  private static JsonNode write(String anthropicBody, String model) throws Exception {
    Envelope env = new MessagesApi(null).read(anthropicBody.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "b"));
    return Json.MAPPER.readTree(OpenAiRequestWriter.write(env, model).getBytes());
  }

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void claudeCodeShapedRequest() throws Exception {
    JsonNode out = write("""
        {"model":"claude-x","max_tokens":32000,"stream":true,
         "system":[{"type":"text","text":"x-billing: 1"},
                   {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Read","description":"Read a file","input_schema":{"type":"object"},"defer_loading":true},
                  {"type":"web_search_20250305","name":"web_search"}],
         "thinking":{"type":"adaptive"},"context_management":{},"output_config":{"effort":"high"},
         "metadata":{"user_id":"session-1"},"temperature":1,
         "messages":[
           {"role":"system","content":"Reminder."},
           {"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]},
           {"role":"assistant","content":[{"type":"redacted_thinking","data":"x"},
             {"type":"tool_use","id":"t1","name":"Read","input":{"path":"a"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1",
             "content":[{"type":"text","text":"line 1"},{"type":"text","text":"line 2"}]}]}]}
        """, "deepseek-chat");

    assertThat(out).isEqualTo(json("""
        {"model":"deepseek-chat",
         "messages":[
           {"role":"system","content":"x-billing: 1\\nYou are Claude Code."},
           {"role":"system","content":"Reminder."},
           {"role":"user","content":"Hi"},
           {"role":"assistant","content":null,"tool_calls":[
             {"id":"t1","type":"function","function":{"name":"Read","arguments":"{\\"path\\":\\"a\\"}"}}]},
           {"role":"tool","tool_call_id":"t1","content":"line 1\\nline 2"}],
         "tools":[{"type":"function","function":{"name":"Read","description":"Read a file",
                    "parameters":{"type":"object"}}}],
         "stream":true,"max_tokens":32000,"temperature":1,"user":"session-1",
         "stream_options":{"include_usage":true}}
        """));
  }

  @Test
  void onlyServerToolsMeanNoToolsAtAll() throws Exception {
    JsonNode out = write("""
        {"model":"c","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],
         "tool_choice":{"type":"auto"},"messages":[{"role":"user","content":"x"}]}
        """, "gpt-4o");
    assertThat(out.has("tools")).isFalse();
    assertThat(out.has("tool_choice")).isFalse();
  }

  @Test
  void reasoningModelsGetMaxCompletionTokens() throws Exception {
    JsonNode out = write("{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "o3-mini");
    assertThat(out.path("max_completion_tokens").asInt()).isEqualTo(10);
    assertThat(out.has("max_tokens")).isFalse();
  }

  @Test
  void imagesAndMixedContentStayParts() throws Exception {
    JsonNode out = write("""
        {"model":"c","max_tokens":10,"messages":[{"role":"user","content":[
          {"type":"text","text":"What is this?"},
          {"type":"image","source":{"type":"base64","media_type":"image/webp","data":"UklG"}}]}]}
        """, "gpt-4o");
    assertThat(out.path("messages").get(0).path("content")).isEqualTo(json("""
        [{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/webp;base64,UklG"}}]
        """));
  }
}
