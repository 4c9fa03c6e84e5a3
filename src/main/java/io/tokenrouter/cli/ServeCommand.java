package io.tokenrouter.cli;

import io.tokenrouter.Gateway;
import io.tokenrouter.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * Runs the gateway until the process is stopped; SIGTERM drains usage records before exit.
 * Started from a file, it reloads the file's providers, models and routing when the file
 * changes or on SIGHUP.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    run(config.load(), config.file, null);
    return 0;
  }

  static void run(GatewayConfig config, String banner) throws InterruptedException {
    run(config, null, banner);
  }

  private static void run(GatewayConfig config, Path file, String banner) throws InterruptedException {
    Gateway gateway = Gateway.start(config, file, System.getenv());
    if (file != null) {
      reloadOnHangup(gateway);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "shutdown"));
    System.out.println("TokenRouter listening on http://" + config.server().host() + ":" + gateway.port());
    if (banner != null) {
      System.out.println(banner.replace("{port}", Integer.toString(gateway.port())));
    }
    stopped.await();
  }

  /** {@code kill -HUP}: the operator's way to say "read the file again now". */
  private static void reloadOnHangup(Gateway gateway) {
    try {
      Signal.handle(new Signal("HUP"), signal -> gateway.reload());
    } catch (IllegalArgumentException e) {
      // no SIGHUP on this platform (Windows): the file is still watched
    }
  }
}
