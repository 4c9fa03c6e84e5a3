package io.tokenrouter.store;

import java.util.Locale;

/** Whether a key is accepted now, and if not, why. */
public enum KeyState {
  ACTIVE, DISABLED, REVOKED, EXPIRED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
