package io.tokenrouter.cli;

import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the commands that run the gateway. */
final class ConfigOption {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (default: the built-in demo configuration).")
  Path file;

  GatewayConfig load() {
    ConfigLoader loader = new ConfigLoader(System.getenv());
    return file == null ? loader.loadDemo() : loader.load(file);
  }
}
