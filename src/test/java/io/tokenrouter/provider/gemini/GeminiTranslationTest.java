package io.tokenrouter.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Translation matrix for Gemini: a request written as a GenerateContentRequest, answers read into neutral events. */
class GeminiTranslationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode write(String chatBody) throws Exception {
    Envelope env = new ChatCompletionsApi().read(chatBody.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    return JSON.readTree(GeminiRequestWriter.write(env).getBytes());
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void systemTurnsToolsAndSettings() throws Exception {
    JsonNode out = write("""
        {"model":"g","max_tokens":256,"temperature":0.3,"top_p":0.9,"stop":["END"],"tool_choice":"required",
         "messages":[{"role":"system","content":"Be brief."},
           {"role":"user","content":[{"type":"text","text":"Weather here?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
           {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
           {"role":"tool","tool_call_id":"call_1","content":"18C"}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}""");

    assertThat(out).isEqualTo(JSON.readTree("""
        {"contents":[
           {"role":"user","parts":[{"text":"Weather here?"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]},
           {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
           {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"content":"18C"}}}]}],
         "systemInstruction":{"parts":[{"text":"Be brief."}]},
         "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather",
           "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}}}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY"}},
         "generationConfig":{"maxOutputTokens":256,"stopSequences":["END"],"temperature":0.3,"topP":0.9}}"""));
  }

  @Test
  void aToolAnswerThatIsAJsonObjectIsSentAsTheResponse() throws Exception {
    JsonNode out = write("""
        {"model":"g","messages":[{"role":"user","content":"x"},
          {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"c","content":"{\\"temp\\":18}"}]}""");

    assertThat(out.path("contents").get(2).path("parts").get(0).path("functionResponse").path("response"))
        .isEqualTo(JSON.readTree("{\"temp\":18}"));
  }

  @Test
  void wholeAnswerWithThoughtTextAndAFunctionCall() {
    List<ReplyEvent> events = new ArrayList<>();
    new GeminiDecoder("gemini").body(bytes("""
        {"candidates":[{"content":{"role":"model","parts":[
           {"text":"Let me think.","thought":true},{"text":"Checking."},
           {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"thoughtsTokenCount":30,
           "cachedContentTokenCount":64,"totalTokenCount":150},
         "modelVersion":"gemini-2.5-pro","responseId":"r1"}"""), events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start("r1", "gemini-2.5-pro"),
        new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
        new ReplyEvent.ThinkingDelta(0, "Let me think."),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.BlockStart(1, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(1, "Checking."),
        new ReplyEvent.BlockStop(1),
        new ReplyEvent.BlockStart(2, BlockKind.TOOL_USE, "call_2", "get_weather"),
        new ReplyEvent.ToolInputDelta(2, "{\"city\":\"Paris\"}"),
        new ReplyEvent.BlockStop(2),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null),
        new ReplyEvent.UsageReport(new Usage(100, 50, 64, 0, 0, 30, false)));
  }

  @Test
  void streamedChunksJoinOneTextBlockAndTheLastUsageCounts() {
    List<ReplyEvent> events = new ArrayList<>();
    GeminiDecoder decoder = new GeminiDecoder("gemini");
    decoder.event(null, bytes("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":10}}"), events::add);
    decoder.event(null, bytes("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}]},"
        + "\"finishReason\":\"MAX_TOKENS\"}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":2}}"),
        events::add);
    decoder.end(events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start(null, null),
        new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(0, "Hel"),
        new ReplyEvent.UsageReport(new Usage(10, 0, 0, 0, 0, 0, false)),
        new ReplyEvent.TextDelta(0, "lo"),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.Stop(StopReason.MAX_TOKENS, null),
        new ReplyEvent.UsageReport(new Usage(10, 2, 0, 0, 0, 0, false)));
  }

  @Test
  void aCallsThoughtSignatureTravelsInItsIdAndGoesBackWithTheCall() throws Exception {
    List<ReplyEvent> events = new ArrayList<>();
    new GeminiDecoder("gemini").body(bytes("""
        {"candidates":[{"content":{"role":"model","parts":[
           {"functionCall":{"name":"get_weather","args":{}},"thoughtSignature":"Ab+/cD=="}]},"finishReason":"STOP"}]}"""),
        events::add);
    String id = events.stream().filter(e -> e instanceof ReplyEvent.BlockStart).map(e -> ((ReplyEvent.BlockStart) e).id())
        .findFirst().orElseThrow();
    assertThat(id).matches("[A-Za-z0-9_-]+");

    JsonNode out = write("""
        {"model":"g","messages":[{"role":"user","content":"x"},
          {"role":"assistant","tool_calls":[{"id":"%s","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"%s","content":"18C"}]}""".formatted(id, id));

    assertThat(out.path("contents").get(1).path("parts").get(0).path("thoughtSignature").asText()).isEqualTo("Ab+/cD==");
    assertThat(out.path("contents").get(2).path("parts").get(0).path("functionResponse").path("name").asText())
        .isEqualTo("get_weather");
  }

  @ParameterizedTest
  @CsvSource({"STOP, END_TURN", "MAX_TOKENS, MAX_TOKENS", "SAFETY, REFUSAL", "RECITATION, REFUSAL",
      "PROHIBITED_CONTENT, REFUSAL", "OTHER, END_TURN", "MALFORMED_FUNCTION_CALL, END_TURN"})
  void finishReasons(String finishReason, StopReason expected) {
    assertThat(GeminiDecoder.stopReason(finishReason)).isEqualTo(expected);
  }

  @Test
  void aPromptBlockedBeforeAnyCandidateIsARefusal() {
    List<ReplyEvent> events = new ArrayList<>();
    new GeminiDecoder("gemini").body(bytes("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"), events::add);

    assertThat(events).contains(new ReplyEvent.Stop(StopReason.REFUSAL, null));
  }

  @Test
  void aStreamThatEndsWithoutAFinishReasonIsBroken() {
    GeminiDecoder decoder = new GeminiDecoder("gemini");
    decoder.event(null, bytes("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}]}"), e -> { });

    assertThatThrownBy(() -> decoder.end(e -> { })).isInstanceOf(GatewayError.class)
        .hasMessageContaining("finishReason");
  }

  @Test
  void anErrorChunkFailsTheStream() {
    assertThatThrownBy(() -> new GeminiDecoder("gemini").event(null,
        bytes("{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}"), e -> { }))
        .isInstanceOf(GatewayError.class).hasMessageContaining("overloaded");
  }
}
