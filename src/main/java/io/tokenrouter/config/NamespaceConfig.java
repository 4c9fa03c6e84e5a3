package io.tokenrouter.config;

import java.util.List;
import java.util.Map;

/**
 * A tenant namespace (seed 002): requests its matcher selects get its policy on top of their
 * key's and user's limits.
 */
public record NamespaceConfig(String name, Match match, Policy policy) {
  public NamespaceConfig {
    policy = policy == null ? new Policy(null, null, null, null, null, null, null) : policy;
  }

  /**
   * What selects the namespace; exactly one of the four. The most specific kind wins when
   * several namespaces match: key, then project, then header, then path.
   *
   * @param key a key id
   * @param project a key's project label
   * @param header header names and the values they must have (all of them)
   * @param path a request path prefix
   */
  public record Match(String key, String project, Map<String, String> header, String path) {}

  /** The namespace's allowed models (globs; empty allows all) and limits shared by its requests. */
  public record Policy(List<String> models, Integer rpm, Integer tpm, Integer maxConcurrency, Integer burst,
      Integer maxInputTokens, Integer maxOutputTokens) {
    public Policy {
      models = models == null ? List.of() : List.copyOf(models);
    }
  }
}
