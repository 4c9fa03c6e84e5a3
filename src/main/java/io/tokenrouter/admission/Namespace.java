package io.tokenrouter.admission;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.caller.ModelPatterns;

/**
 * A tenant namespace that a request was matched to: its model allowlist, and limits counted
 * across every request it matches, whatever key sent them.
 */
public record Namespace(String name, ModelPatterns models, Limits limits) {}
