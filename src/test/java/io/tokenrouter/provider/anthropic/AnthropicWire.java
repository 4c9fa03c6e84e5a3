package io.tokenrouter.provider.anthropic;

import io.tokenrouter.envelope.Envelope;

/** The Anthropic request writer, for tests outside its package: the bytes a provider would receive. */
public final class AnthropicWire {
  private AnthropicWire() {}

  public static byte[] write(Envelope envelope, String model) {
    return AnthropicRequestWriter.write(envelope, model).getBytes();
  }
}
