package io.tokenrouter.routing;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file while the gateway runs: when it changes (checked every
 * {@code routing.reload.interval} while {@code watch} is on), on SIGHUP, and when another
 * instance announces that it reloaded (over Redis, {@link ClusterEvent.ConfigChanged}). The file
 * goes through the same loader and validation as at start; a broken one is refused with the
 * same messages and the configuration in force stays. What is reloaded: providers, models and
 * routing; other sections need a restart, and a change to them is logged as such.
 */
public final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);
  private final Vertx vertx;
  private final Path file;
  private final ConfigLoader loader;
  private final Reconfigurer reconfigurer;
  private final ClusterEvents events;
  private String digest;
  private volatile Runnable reloaded = () -> { };
  private long timer = -1;
  private volatile boolean stopped;

  /** @param file the file the configuration in force was read from */
  public ConfigReload(Vertx vertx, Path file, ConfigLoader loader, Reconfigurer reconfigurer, ClusterEvents events) {
    this.vertx = vertx;
    this.file = file;
    this.loader = loader;
    this.reconfigurer = reconfigurer;
    this.events = events;
    try {
      this.digest = sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** @param onReload run after each configuration put into force (fetch the model lists of new providers) */
  public void start(Runnable onReload) {
    this.reloaded = onReload;
    events.subscribe(event -> {
      if (event instanceof ClusterEvent.ConfigChanged changed && !changed.digest().equals(currentDigest())) {
        reload(false);
      }
    });
    schedule();
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(reconfigurer.config().routing().reload().interval().toMillis(), id -> {
        Future<Boolean> checked = reconfigurer.config().routing().reload().watch() ? reload(true)
            : Future.succeededFuture(false);
        checked.onComplete(ar -> schedule());
      });
    }
  }

  /**
   * Reads the file and puts it into force when it changed; completes with whether it did. A
   * configuration that cannot be used fails the future and changes nothing.
   *
   * @param announce tell the other instances (not when one of them told this one)
   */
  public Future<Boolean> reload(boolean announce) {
    return vertx.executeBlocking(() -> {
      byte[] bytes = Files.readAllBytes(file);
      String read = sha256(bytes);
      synchronized (this) {
        if (read.equals(digest)) {
          return false;
        }
        try {
          GatewayConfig next = loader.load(new ByteArrayInputStream(bytes));
          warnAboutRestart(reconfigurer.config(), next);
          reconfigurer.apply(next);
        } catch (RuntimeException e) {
          // the same file would fail the same way on every check: say it once per version of it
          digest = read;
          log.error("configuration file {} not reloaded, the running configuration stays: {}", file, e.getMessage());
          throw e;
        }
        digest = read;
      }
      log.info("configuration reloaded from {}: {} providers, {} models", file,
          reconfigurer.config().providers().size(), reconfigurer.config().models().size());
      if (announce) {
        events.publish(new ClusterEvent.ConfigChanged(read));
      }
      reloaded.run();
      return true;
    }, false).recover(e -> {
      if (e instanceof IOException) {
        log.error("configuration file {} cannot be read, the running configuration stays: {}", file, e.getMessage());
      }
      return Future.failedFuture(e);
    });
  }

  private synchronized String currentDigest() {
    return digest;
  }

  private static void warnAboutRestart(GatewayConfig running, GatewayConfig next) {
    List<String> sections = new ArrayList<>();
    if (!running.server().equals(next.server())) {
      sections.add("server");
    }
    if (!running.database().equals(next.database())) {
      sections.add("database");
    }
    if (!running.redis().equals(next.redis())) {
      sections.add("redis");
    }
    if (!running.auth().equals(next.auth())) {
      sections.add("auth");
    }
    if (!running.usage().equals(next.usage())) {
      sections.add("usage");
    }
    if (!running.admin().equals(next.admin())) {
      sections.add("admin");
    }
    if (!running.namespaces().equals(next.namespaces())) {
      sections.add("namespaces");
    }
    if (!sections.isEmpty()) {
      log.warn("configuration changes to {} take effect at the next restart", String.join(", ", sections));
    }
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
