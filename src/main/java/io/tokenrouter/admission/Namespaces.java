package io.tokenrouter.admission;

import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.caller.ModelPatterns;
import io.tokenrouter.config.NamespaceConfig;
import io.vertx.core.MultiMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Picks the namespace of a request. Matchers are ranked by how specifically they name the caller
 * (a key, then a project, then a header, then a path); among equals the first configured wins.
 */
public final class Namespaces {
  private record Entry(int specificity, NamespaceConfig.Match match, Namespace namespace) {}

  private final List<Entry> entries;

  public Namespaces(List<NamespaceConfig> configs) {
    this.entries = configs.stream().map(Namespaces::entry)
        .sorted(Comparator.comparingInt(Entry::specificity).reversed()).toList();
  }

  private static Entry entry(NamespaceConfig c) {
    NamespaceConfig.Match m = c.match();
    int specificity = m.key() != null ? 4 : m.project() != null ? 3 : m.header() != null ? 2 : 1;
    NamespaceConfig.Policy p = c.policy();
    Limits limits = new Limits(p.rpm(), p.tpm(), p.maxConcurrency(), p.burst(), p.maxInputTokens(),
        p.maxOutputTokens(), null, null);
    return new Entry(specificity, m, new Namespace(c.name(), new ModelPatterns(p.models()), limits));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The most specific namespace matching the request, or null. */
  public Namespace match(Identity identity, MultiMap headers, String path) {
    for (Entry e : entries) {
      if (matches(e.match(), identity, headers, path)) {
        return e.namespace();
      }
    }
    return null;
  }

  private static boolean matches(NamespaceConfig.Match m, Identity identity, MultiMap headers, String path) {
    if (m.key() != null) {
      return m.key().equals(identity.keyId().toString());
    }
    if (m.project() != null) {
      return m.project().equals(identity.project());
    }
    if (m.header() != null) {
      for (Map.Entry<String, String> h : m.header().entrySet()) {
        if (!h.getValue().equals(headers.get(h.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return path.startsWith(m.path());
  }
}
