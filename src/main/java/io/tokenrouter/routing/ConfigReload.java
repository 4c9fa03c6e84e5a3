package io.tokenrouter.routing;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.ConfigOverrides;
import io.tokenrouter.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration while the gateway runs: the file (when it changes, checked every
 * {@code routing.reload.interval} while {@code watch} is on, and on SIGHUP) and the changes the
 * admin API stored in the database, which are laid over the file's providers and models
 * ({@link ConfigOverrides}: the stored change wins). Also when another instance announces that
 * it put a new configuration into force (over Redis, {@link ClusterEvent.ConfigChanged}). The
 * result goes through the same validation as at start; one that cannot be used is refused with
 * the same messages and the configuration in force stays. What is reloaded: providers, models
 * and routing; other sections need a restart, and a change to them is logged as such.
 */
public final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);
  private final Vertx vertx;
  private final Path file;
  private final ConfigLoader loader;
  private final Supplier<ConfigOverrides> stored;
  private final Reconfigurer reconfigurer;
  private final ClusterEvents events;
  private final ReentrantLock reloading = new ReentrantLock();
  private GatewayConfig base;
  private String fileDigest;
  private String digest;
  private ConfigOverrides inForce;
  private volatile Runnable reloaded = () -> { };
  private long timer = -1;
  private volatile boolean stopped;

  /**
   * @param file the file the configuration in force was read from; null when it was read from
   *     none, and then only the stored changes are reloaded, over {@code base}
   * @param base the configuration the file gave, before the stored changes
   * @param stored reads the admin API's stored changes (blocking)
   * @param inForce the stored changes the configuration in force was made with
   */
  public ConfigReload(Vertx vertx, Path file, GatewayConfig base, ConfigLoader loader,
      Supplier<ConfigOverrides> stored, ConfigOverrides inForce, Reconfigurer reconfigurer, ClusterEvents events) {
    this.vertx = vertx;
    this.file = file;
    this.base = base;
    this.loader = loader;
    this.stored = stored;
    this.reconfigurer = reconfigurer;
    this.events = events;
    this.fileDigest = file == null ? "" : sha256(read(file));
    this.digest = combined(fileDigest, inForce);
    this.inForce = inForce;
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
   * Reads the file and the stored changes and puts them into force when they changed; completes
   * with whether they did. A configuration that cannot be used fails the future and changes
   * nothing.
   *
   * @param announce tell the other instances (not when one of them told this one)
   */
  public Future<Boolean> reload(boolean announce) {
    return vertx.executeBlocking(() -> reloadNow(announce), false).recover(e -> {
      if (e instanceof IOException || e instanceof UncheckedIOException) {
        log.error("configuration file {} cannot be read, the running configuration stays: {}", file, e.getMessage());
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * {@link #reload} on the calling thread, which may block (a worker). One at a time: two reloads
   * reading while an admin change commits must not put the older read into force last.
   */
  public boolean reloadNow(boolean announce) {
    reloading.lock();
    try {
      return readAndApply(announce);
    } finally {
      reloading.unlock();
    }
  }

  private boolean readAndApply(boolean announce) {
    byte[] bytes = file == null ? null : read(file);
    String readFile = bytes == null ? "" : sha256(bytes);
    ConfigOverrides overrides;
    try {
      overrides = stored.get();
    } catch (RuntimeException e) {
      // the database is out of reach: a changed file still reloads, over the stored changes in force
      overrides = currentOverrides();
    }
    String read = combined(readFile, overrides);
    synchronized (this) {
      if (read.equals(digest)) {
        return false;
      }
      try {
        GatewayConfig fileConfig = readFile.equals(fileDigest) ? base : loader.load(new ByteArrayInputStream(bytes));
        GatewayConfig next = overrides.over(fileConfig);
        ConfigLoader.validate(next);
        warnAboutRestart(reconfigurer.config(), next);
        reconfigurer.apply(next);
        base = fileConfig;
      } catch (RuntimeException e) {
        // the same file would fail the same way on every check: say it once per version of it
        digest = read;
        fileDigest = readFile;
        log.error("configuration {} not reloaded, the running configuration stays: {}",
            file == null ? "(stored changes)" : file, e.getMessage());
        throw e;
      }
      digest = read;
      fileDigest = readFile;
      inForce = overrides;
    }
    log.info("configuration reloaded from {}the admin API's stored changes: {} providers, {} models",
        file == null ? "" : file + " and ", reconfigurer.config().providers().size(),
        reconfigurer.config().models().size());
    if (announce) {
      events.publish(new ClusterEvent.ConfigChanged(read));
    }
    reloaded.run();
    return true;
  }

  /** The configuration the file gives, before the stored changes. */
  public synchronized GatewayConfig base() {
    return base;
  }

  /**
   * The configuration {@code overrides} would make over the file's, validated as at start.
   *
   * @throws io.tokenrouter.config.ConfigException with the validator's problems
   */
  public GatewayConfig candidate(ConfigOverrides overrides) {
    GatewayConfig next = overrides.over(base());
    ConfigLoader.validate(next);
    return next;
  }

  private synchronized ConfigOverrides currentOverrides() {
    return inForce;
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

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes when the file or the stored changes do (the secrets in them only enter as a hash). */
  private static String combined(String fileDigest, ConfigOverrides overrides) {
    return overrides.equals(ConfigOverrides.NONE) ? fileDigest
        : sha256((fileDigest + "\n" + overrides).getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
