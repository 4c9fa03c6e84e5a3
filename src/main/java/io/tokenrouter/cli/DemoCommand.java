package io.tokenrouter.cli;

import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.store.Database;
import io.tokenrouter.caller.Limits;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The built-in demo: embedded database, the mock provider, a fresh key printed with a curl
 * that works as it is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the gateway on embedded defaults with the mock provider and print a demo key.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config = new ConfigOption().load();
    config = config.withServer(config.server().withPort(port));
    String key;
    try (Database db = Database.open(config.database())) {
      key = KeysCommand.create(db, "demo", java.util.List.of(), null, null, null, Limits.NONE).rawKey();
    }
    String banner = """

        Demo key (shown once, stored only as its hash): %1$s

        Try it:
          curl -s http://127.0.0.1:{port}/v1/chat/completions \\
            -H "Authorization: Bearer %1$s" -H "Content-Type: application/json" \\
            -d '{"model":"mock-chat","messages":[{"role":"user","content":"Hello, gateway"}]}'

        Streaming: add "stream": true to the body and curl -N. Stop with Ctrl-C.
        """.formatted(key);
    ServeCommand.run(config, banner);
    return 0;
  }
}
