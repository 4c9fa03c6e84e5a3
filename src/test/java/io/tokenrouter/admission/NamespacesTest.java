package io.tokenrouter.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Identity;
import io.tokenrouter.config.NamespaceConfig;
import io.tokenrouter.config.NamespaceConfig.Match;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NamespacesTest {
  private static final UUID KEY = UUID.randomUUID();
  private static final Identity ALPHA_KEY = new Identity(KEY, "k", "tr-x", null, null, "alpha", null, null, null, null,
      null);
  private static final MultiMap TEAM_HEADER = MultiMap.caseInsensitiveMultiMap().add("X-Team", "search");

  private static NamespaceConfig ns(String name, Match match) {
    return new NamespaceConfig(name, match, null);
  }

  private static Namespaces all() {
    return new Namespaces(List.of(
        ns("by-path", new Match(null, null, null, "/v1/")),
        ns("by-header", new Match(null, null, Map.of("x-team", "search"), null)),
        ns("by-project", new Match(null, "alpha", null, null)),
        ns("by-key", new Match(KEY.toString(), null, null, null))));
  }

  @Test
  void keyMatcherBeatsEveryOther() {
    assertThat(all().match(ALPHA_KEY, TEAM_HEADER, "/v1/chat/completions").name()).isEqualTo("by-key");
  }

  @Test
  void projectBeatsHeaderAndPath() {
    Identity other = new Identity(UUID.randomUUID(), "k", "tr-x", null, null, "alpha", null, null, null, null, null);

    assertThat(all().match(other, TEAM_HEADER, "/v1/chat/completions").name()).isEqualTo("by-project");
  }

  @Test
  void headerBeatsPath() {
    Identity other = new Identity(UUID.randomUUID(), "k", "tr-x", null, null, null, null, null, null, null, null);

    assertThat(all().match(other, TEAM_HEADER, "/v1/chat/completions").name()).isEqualTo("by-header");
  }

  @Test
  void pathMatchesByPrefixWhenNothingMoreSpecificDoes() {
    Identity other = new Identity(UUID.randomUUID(), "k", "tr-x", null, null, null, null, null, null, null, null);

    assertThat(all().match(other, MultiMap.caseInsensitiveMultiMap(), "/v1/chat/completions").name())
        .isEqualTo("by-path");
    assertThat(all().match(other, MultiMap.caseInsensitiveMultiMap(), "/api/v1/chat/completions")).isNull();
  }

  @Test
  void amongEqualsTheFirstConfiguredWins() {
    Namespaces two = new Namespaces(List.of(ns("first", new Match(null, "alpha", null, null)),
        ns("second", new Match(null, "alpha", null, null))));

    assertThat(two.match(ALPHA_KEY, TEAM_HEADER, "/").name()).isEqualTo("first");
  }
}
