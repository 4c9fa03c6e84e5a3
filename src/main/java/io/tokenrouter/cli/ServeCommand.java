package io.tokenrouter.cli;

import io.tokenrouter.Gateway;
import io.tokenrouter.config.GatewayConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the gateway until the process is stopped; SIGTERM drains usage records before exit. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    run(config.load(), null);
    return 0;
  }

  static void run(GatewayConfig config, String banner) throws InterruptedException {
    Gateway gateway = Gateway.start(config);
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
}
