package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How {@link OpenAiRequestWriter} makes a chat stream from an OpenAI client end with usage. */
class OpenAiRequestWriterStreamTest {
  private static Envelope read(String body) {
    return new ChatCompletionsApi().read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
  }

  private static String write(String body, String model) {
    return OpenAiRequestWriter.write(read(body), model).toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnchangedStreamGoesOutAsTheClientsBytesWithTheUsageOptionAdded() {
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"temperature\":0.70,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x_extra\":[1,2]}";

    assertThat(write(body, "gpt-4o")).isEqualTo("{\"stream_options\":{\"include_usage\":true}," + body.substring(1));
  }

  @Test
  void aStreamThatAskedForUsageGoesOutUntouched() {
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThat(write(body, "gpt-4o")).isEqualTo(body);
  }

  @Test
  void aStreamWithOptionsOfItsOwnIsWrittenAgainWithUsageOn() throws Exception {
    JsonNode out = Json.MAPPER.readTree(write("{\"model\":\"gpt-4o\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":false,\"include_obfuscation\":false},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "gpt-4o"));

    assertThat(out.get("stream_options")).isEqualTo(Json.MAPPER.readTree(
        "{\"include_usage\":true,\"include_obfuscation\":false}"));
    assertThat(out.get("messages")).hasSize(1);
  }

  @Test
  void aStreamForAnotherModelNameIsWrittenAgain() throws Exception {
    JsonNode out = Json.MAPPER.readTree(write("{\"model\":\"fast\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "gpt-4o-mini"));

    assertThat(out.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(out.get("stream_options").get("include_usage").asBoolean()).isTrue();
  }
}
