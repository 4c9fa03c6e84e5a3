package io.tokenrouter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tokenrouter <command>}: the gateway's single entry point. */
@Command(name = "tokenrouter", mixinStandardHelpOptions = true, version = "TokenRouter 0.1.0",
    description = "LLM API gateway: one OpenAI-compatible endpoint in front of many providers.",
    subcommands = {ServeCommand.class, DemoCommand.class, UsersCommand.class, KeysCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    });
  }
}
