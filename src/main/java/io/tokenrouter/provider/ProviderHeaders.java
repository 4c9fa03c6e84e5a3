package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every request to one provider carries, built once per key of the provider: an
 * attempt names its key and gets its headers without copying any. The configured headers are
 * applied last, so they may replace a default (or the credential header itself). A request that
 * names no key (a relayed call, a model list) gets the provider's first.
 */
public final class ProviderHeaders {
  private final MultiMap base;
  private final Map<String, String> configured;
  private final BiConsumer<MultiMap, String> authorize;
  private final String defaultKey;
  private final Map<String, MultiMap> byKey = new HashMap<>();

  /**
   * @param base the family's own headers (content type, version...)
   * @param authorize adds the credential header for a key ({@code Authorization: Bearer},
   *     {@code x-api-key}...)
   */
  public ProviderHeaders(MultiMap base, ProviderConfig config, BiConsumer<MultiMap, String> authorize) {
    this.base = base;
    this.configured = config.headers();
    this.authorize = authorize;
    List<String> keys = config.keys();
    this.defaultKey = keys.isEmpty() ? "" : keys.getFirst();
    byKey.put("", build(defaultKey));
    for (String key : keys) {
      byKey.put(key, build(key));
    }
  }

  /** The headers for requests made with {@code key} (empty: the provider's first key, or none when it has none). */
  public MultiMap forKey(String key) {
    MultiMap prebuilt = byKey.get(key == null ? "" : key);
    return prebuilt != null ? prebuilt : build(key);
  }

  /** Only the headers that carry {@code key} (empty: the provider's first), for a request relayed as it is. */
  public MultiMap credentials(String key) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    String k = key == null || key.isEmpty() ? defaultKey : key;
    if (!k.isEmpty()) {
      authorize.accept(h, k);
    }
    return h;
  }

  private MultiMap build(String key) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(base);
    if (!key.isEmpty()) {
      authorize.accept(h, key);
    }
    for (Map.Entry<String, String> e : configured.entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    return h;
  }
}
