package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiRequestWriter} for a chat request from an OpenAI client that no stage changed: the
 * client's bytes, with the provider's model name and a stream's usage option put in.
 */
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
  void aStreamForAnotherModelNameKeepsTheClientsBytesButTheModel() {
    assertThat(write("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"fast\",\"stream\":true,"
        + "\"temperature\":0.70}", "gpt-4o-mini"))
        .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0.70}");
  }

  @Test
  void aRequestForAnotherModelNameKeepsTheClientsBytesButTheModel() {
    assertThat(write("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":7}",
        "gpt-4o-mini"))
        .isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":7}");
  }
}
