package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ProviderConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider types a build knows are its factories'; a configured type names one of them. */
class ProviderRegistryTest {
  private static ProviderConfig provider(String type) {
    return new ProviderConfig("p", type, "http://127.0.0.1:1", null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  @Test
  void everyBuiltInTypeIsKnownWhateverItsCase() {
    new ProviderRegistry().check(List.of(provider("openai"), provider("Anthropic"), provider("MOCK")));
  }

  @Test
  void aWrongTypeListsTheChoicesAndTheClosest() {
    assertThatThrownBy(() -> new ProviderRegistry().check(List.of(provider("openai"), provider("OPEN-AI"))))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "providers[1].type: 'open-ai' is not one of anthropic, azure, gemini, mock, openai. Did you mean 'openai'?"));
  }
}
