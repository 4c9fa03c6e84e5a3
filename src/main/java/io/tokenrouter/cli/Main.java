package io.tokenrouter.cli;

import io.tokenrouter.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code tokenrouter <command>}: the gateway's single entry point. */
@Command(name = "tokenrouter", mixinStandardHelpOptions = true, version = "TokenRouter 0.1.0",
    description = "LLM API gateway: one OpenAI-compatible endpoint in front of many providers.")
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  /**
   * Each command by its name, the name its {@code @Command} gives (a test holds the two together):
   * reading the annotations of all six to find one cost a start 30 ms.
   */
  static final List<Named> COMMANDS = List.of(new Named("serve", ServeCommand.class),
      new Named("demo", DemoCommand.class), new Named("users", UsersCommand.class),
      new Named("keys", KeysCommand.class), new Named("usage", UsageCommand.class),
      new Named("providers", ProvidersCommand.class));

  record Named(String name, Class<?> command) {}

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for {@code args}: when they name a command, only that command is built.
   * Picocli reads every command's, option's and parameter's annotations by reflection, on classes
   * too old for the JVM's AOT cache (compiled for Java 5), which took a quarter of a second of
   * every start when all of the admin commands were built for {@code serve}.
   */
  static CommandLine commandLine(String[] args) {
    String first = args.length == 0 ? "" : args[0];
    boolean one = COMMANDS.stream().anyMatch(c -> c.name().equals(first));
    CommandLine root = new CommandLine(new Main());
    for (Named c : COMMANDS) {
      if (!one || c.name().equals(first)) {
        root.addSubcommand(c.name(), c.command());
      }
    }
    return root
        .setParameterExceptionHandler(Main::badInput)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof CliException c) {
            err.println("error: " + c.getMessage());
            return c.exitCode;
          }
          if (e instanceof ConfigException) {
            err.println("error: " + e.getMessage());
            return 1;
          }
          log.debug("command failed", e);
          err.println("error: " + (e.getMessage() == null ? "the command failed unexpectedly (run with"
              + " TOKENROUTER_LOG_LEVEL=DEBUG for details)" : e.getMessage()));
          return 1;
        });
  }

  /** Picocli's refusal, with "Invalid value for option '--x': " shortened to "--x: ". */
  private static int badInput(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String message = e.getMessage().replaceFirst("^Invalid value for option '([^']+)': ", "$1: ")
        .replaceFirst("^Invalid value for positional parameter at index \\d+ \\(([^)]+)\\): ", "$1: ");
    cmd.getErr().println("error: " + message);
    cmd.getErr().println("(see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
