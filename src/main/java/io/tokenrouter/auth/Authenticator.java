package io.tokenrouter.auth;

import io.tokenrouter.caller.Identity;
import java.util.concurrent.CompletableFuture;

/**
 * Turns the key a client sent into an {@link Identity}: from the gateway's own key table
 * ({@link KeyAuthenticator}) or from an external token authority ({@link RemoteAuthenticator}).
 */
public interface Authenticator {
  /**
   * Completes with the identity, or fails with {@link AuthException} (the key is refused: 401)
   * or any other exception (keys cannot be checked now: 503).
   */
  CompletableFuture<Identity> authenticate(String rawKey);

  /** Forgets what is cached of the key with this SHA-256 (hex), after a change announced by any instance. */
  void invalidate(String keyHash);
}
