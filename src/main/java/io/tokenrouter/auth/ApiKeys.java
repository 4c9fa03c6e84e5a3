package io.tokenrouter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Virtual key material: {@code tr-} followed by 32 random bytes (base64url), stored as the
 * SHA-256 of the whole key and shown as its first 10 characters.
 */
public final class ApiKeys {
  public static final String PREFIX = "tr-";
  private static final int DISPLAY_PREFIX = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String rawKey) {
    return HexFormat.of().formatHex(digest(rawKey));
  }

  static byte[] digest(String rawKey) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(rawKey.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String displayPrefix(String rawKey) {
    return rawKey.substring(0, Math.min(DISPLAY_PREFIX, rawKey.length()));
  }
}
