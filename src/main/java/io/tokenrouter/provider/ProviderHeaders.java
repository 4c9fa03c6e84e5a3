package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every request to one provider carries, built once per key of the provider: an
 * attempt names its key and gets its headers without copying any. The configured headers are
 * applied last, so they may replace a default (or the credential header itself).
 */
public final class ProviderHeaders {
  private final MultiMap base;
  private final Map<String, String> configured;
  private final BiConsumer<MultiMap, String> authorize;
  private final MultiMap keyless;
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
    this.keyless = build(null);
    for (String key : config.keys()) {
      byKey.put(key, build(key));
    }
  }

  /** The headers for requests made with {@code key}; without a credential when the key is null or empty. */
  public MultiMap forKey(String key) {
    if (key == null || key.isEmpty()) {
      return keyless;
    }
    MultiMap prebuilt = byKey.get(key);
    return prebuilt != null ? prebuilt : build(key);
  }

  private MultiMap build(String key) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(base);
    if (key != null && !key.isEmpty()) {
      authorize.accept(h, key);
    }
    for (Map.Entry<String, String> e : configured.entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    return h;
  }
}
