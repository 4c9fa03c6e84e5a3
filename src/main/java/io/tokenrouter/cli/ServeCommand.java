package io.tokenrouter.cli;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ch.qos.logback.classic.LoggerContext;
import io.tokenrouter.Gateway;
import io.tokenrouter.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/**
 * Runs the gateway until the process is stopped; SIGTERM drains usage records before exit. The
 * start and stop lines are JSON log lines like every other. Started from a file, it reloads the
 * file's providers, models and routing when the file changes or on SIGHUP.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger("tokenrouter.server");

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    run(config.load(), config.file, null);
    return 0;
  }

  /** @param banner printed to stderr once listening, for a person ({port} replaced), or null */
  static void run(GatewayConfig config, String banner) throws InterruptedException {
    run(config, null, banner);
  }

  private static void run(GatewayConfig config, Path file, String banner) throws InterruptedException {
    // The hook is in place before the port opens: a SIGTERM that comes as soon as the gateway is
    // ready (an orchestrator's quick stop) waits for the start in progress, then drains, instead
    // of finding no hook and losing the usage records of requests already taken.
    CompletableFuture<Gateway> started = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      Gateway running = started.exceptionally(failed -> null).join();
      if (running != null) {
        log.info("TokenRouter stopping: draining usage records");
        running.close();
        log.info("TokenRouter stopped");
      }
      // the log goes through an asynchronous appender: flush it before the JVM is gone
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
        context.stop();
      }
      stopped.countDown();
    }, "shutdown"));
    Gateway gateway;
    try {
      gateway = Gateway.start(config, file, System.getenv());
    } catch (Throwable e) {
      if (stopping.get()) {
        // stopped before the port opened: nothing was taken, so nothing is lost
        log.info("TokenRouter stopped before it was ready");
      }
      // whatever ends the start, the hook must not wait for it at exit
      started.completeExceptionally(e);
      if (stopping.get()) {
        return;
      }
      throw e;
    }
    started.complete(gateway);
    if (file != null) {
      reloadOnHangup(gateway);
    }
    String url = "http://" + config.server().host() + ":" + gateway.port();
    log.info("TokenRouter listening on {}", kv("url", url), kv("mode", config.mode().name().toLowerCase(Locale.ROOT)),
        kv("database", config.database().location()));
    if (banner != null) {
      System.err.println(banner.replace("{port}", Integer.toString(gateway.port())));
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
