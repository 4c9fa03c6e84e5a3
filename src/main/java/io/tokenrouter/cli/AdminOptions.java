package io.tokenrouter.cli;

import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --url URL} of the commands that manage a gateway (keys, users,
 * usage). They need no provider secrets: an unset ${OPENAI_API_KEY} under providers is fine here.
 */
final class AdminOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file of the gateway (default: the built-in demo configuration).")
  Path file;

  @Option(names = "--url", paramLabel = "URL",
      description = "A running gateway to manage through its admin API, e.g. http://127.0.0.1:8080 (default: "
          + "admin.url or the configured server address when a gateway serves the same database there; otherwise "
          + "the database is opened directly). The token comes from TOKENROUTER_ADMIN_TOKEN or admin.token.")
  String url;

  AdminSession open(CommandSpec spec) {
    ConfigLoader loader = new ConfigLoader(System.getenv()).withoutProviderSecrets();
    GatewayConfig config = file == null ? loader.loadDemo() : loader.load(file);
    return AdminSession.open(config, url, System.getenv(), spec.commandLine().getErr());
  }
}
