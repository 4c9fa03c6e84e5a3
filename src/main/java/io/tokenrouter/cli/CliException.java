package io.tokenrouter.cli;

/** A command cannot do what was asked; the message says why in the user's words. */
final class CliException extends RuntimeException {
  final int exitCode;

  CliException(String message) {
    this(message, 1);
  }

  CliException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }
}
