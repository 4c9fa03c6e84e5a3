package io.tokenrouter.routing;

import io.tokenrouter.call.Attachment;

/**
 * One of a provider's keys, as an attempt uses it: its position in the configured list (what
 * logs, records and pins name; the secret never leaves the adapter's headers) and the secret.
 *
 * @param index the key's position in {@code api_keys}, or -1 for a provider without keys
 */
public record ProviderKey(int index, String secret) {
  /** The key the current attempt uses; left on the call by {@link RetryAndFallback}. */
  public static final Attachment<ProviderKey> CHOSEN = Attachment.named("provider key");
  /** What a provider without keys is called with. */
  public static final ProviderKey NONE = new ProviderKey(-1, "");

  /** Never the secret: keys end up in logs through exceptions and debuggers. */
  @Override
  public String toString() {
    return index < 0 ? "no key" : "key #" + index;
  }
}
