package io.tokenrouter.config;

/** A provider (by configured name) and the model name that provider knows. */
public record TargetConfig(String provider, String model) {}
