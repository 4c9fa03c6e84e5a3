package io.tokenrouter.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static String newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static SecretBox box(String key) {
    return SecretBox.fromEnvironment(Map.of(SecretBox.ENV, key)).orElseThrow();
  }

  @Test
  void sealedSecretOpensWithTheSameKeyAndContext() {
    SecretBox box = box(newKey());

    String sealed = box.seal("sk-live-123", "provider:openai-main");

    assertThat(sealed).startsWith("v1:").doesNotContain("sk-live-123");
    assertThat(box.open(sealed, "provider:openai-main")).isEqualTo("sk-live-123");
  }

  @Test
  void everySealUsesAFreshNonce() {
    SecretBox box = box(newKey());

    assertThat(box.seal("same", "ctx")).isNotEqualTo(box.seal("same", "ctx"));
  }

  @Test
  void anotherKeyCannotOpenIt() {
    String sealed = box(newKey()).seal("sk-live-123", "ctx");

    assertThatThrownBy(() -> box(newKey()).open(sealed, "ctx")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not open with this master key");
  }

  @Test
  void aSecretMovedToAnotherContextDoesNotOpen() {
    SecretBox box = box(newKey());
    String sealed = box.seal("sk-live-123", "provider:a");

    assertThatThrownBy(() -> box.open(sealed, "provider:b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAlteredSecretDoesNotOpen() {
    SecretBox box = box(newKey());
    byte[] bytes = Base64.getDecoder().decode(box.seal("sk-live-123", "ctx").substring(3));
    bytes[bytes.length - 1] ^= 1;

    assertThatThrownBy(() -> box.open("v1:" + Base64.getEncoder().encodeToString(bytes), "ctx"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noMasterKeyIsNoBox() {
    assertThat(SecretBox.fromEnvironment(Map.of())).isEmpty();
  }

  @Test
  void aMalformedMasterKeyIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> SecretBox.fromEnvironment(Map.of(SecretBox.ENV, "not base64!")))
        .hasMessageStartingWith("TOKENROUTER_MASTER_KEY: not base64");
    assertThatThrownBy(() -> SecretBox.fromEnvironment(Map.of(SecretBox.ENV,
        Base64.getEncoder().encodeToString(new byte[16])))).hasMessageStartingWith(
        "TOKENROUTER_MASTER_KEY: decodes to 16 bytes, an AES-256 key is 32");
  }
}
