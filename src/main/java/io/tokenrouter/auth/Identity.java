package io.tokenrouter.auth;

import io.tokenrouter.limit.RequestLimits;
import java.util.List;
import java.util.UUID;

/**
 * Who is calling: the virtual key that authenticated the request and what it may use.
 *
 * @param allowedModels model names the key may call; empty allows every model
 * @param limits the key's request limits
 */
public record Identity(UUID keyId, String keyName, String keyPrefix, List<String> allowedModels,
    RequestLimits limits) {
  public Identity {
    allowedModels = List.copyOf(allowedModels);
  }

  public boolean mayUse(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }
}
