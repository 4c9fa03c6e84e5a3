package io.tokenrouter.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets kept in the database (provider API keys) with AES-256-GCM under the master
 * key from {@code TOKENROUTER_MASTER_KEY} (32 bytes, base64). Each seal uses a fresh random
 * 96-bit nonce; the sealed text is {@code v1:} and base64 of nonce, ciphertext and 128-bit tag.
 * The {@code context} (e.g. the provider's name) is authenticated too, so a sealed value copied
 * to another row does not open there.
 */
public final class SecretBox {
  public static final String ENV = "TOKENROUTER_MASTER_KEY";
  private static final String VERSION = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  public SecretBox(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the master key must be " + KEY_BYTES + " bytes, was " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /**
   * The box of {@code TOKENROUTER_MASTER_KEY}, or empty when it is not set.
   *
   * @throws IllegalArgumentException naming the variable when its value is not a base64 32-byte key
   */
  public static Optional<SecretBox> fromEnvironment(Map<String, String> env) {
    String value = env.get(ENV);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENV + ": not base64; generate a key with `openssl rand -base64 32`");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(ENV + ": decodes to " + key.length + " bytes, an AES-256 key is "
          + KEY_BYTES + "; generate one with `openssl rand -base64 32`");
    }
    return Optional.of(new SecretBox(key));
  }

  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the text was not sealed by this key for this context,
   *     or was altered
   */
  public String open(String sealed, String context) {
    if (sealed == null || !sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), context);
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the secret does not open with this master key (another key, another"
          + " row, or altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
