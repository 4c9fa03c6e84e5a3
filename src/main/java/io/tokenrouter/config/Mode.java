package io.tokenrouter.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How strict the gateway is about its own safety. Production refuses to start with a missing or
 * placeholder admin token, CORS open to every origin, or stored provider secrets without a master
 * key ({@link ProductionSafety}); dev allows them, for a developer's machine.
 */
public enum Mode {
  DEV, PRODUCTION;

  @JsonCreator
  public static Mode parse(String value) {
    return Choices.parse(Mode.class, value);
  }
}
