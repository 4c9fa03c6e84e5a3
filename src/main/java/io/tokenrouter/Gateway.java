package io.tokenrouter;

import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.admission.Admission;
import io.tokenrouter.admission.Namespaces;
import io.tokenrouter.auth.KeyAuthenticator;
import io.tokenrouter.billing.CachedPriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.budget.QuotaCheck;
import io.tokenrouter.budget.SpendCheck;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.http.ChatServices;
import io.tokenrouter.http.GatewayRoutes;
import io.tokenrouter.http.GatewayServer;
import io.tokenrouter.limit.RateCheck;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.Provider;
import io.tokenrouter.provider.Providers;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.PricingRepository;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.store.SpendRepository;
import io.tokenrouter.store.UserRepository;
import io.tokenrouter.usage.UsageRecorder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part from the configuration, in request-path order, and
 * tears them down in reverse. {@link #start} returns once the port is open.
 */
public final class Gateway implements AutoCloseable {
  private static final Duration PRICE_REFRESH = Duration.ofSeconds(60);
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
  private final Vertx vertx;
  private final Database database;
  private final UsageRecorder recorder;
  private final ExecutorService blocking;
  private final SharedState shared;
  private final GatewayMetrics metrics;
  private final int port;

  private Gateway(Vertx vertx, Database database, UsageRecorder recorder, ExecutorService blocking,
      SharedState shared, GatewayMetrics metrics, int port) {
    this.vertx = vertx;
    this.database = database;
    this.recorder = recorder;
    this.blocking = blocking;
    this.shared = shared;
    this.metrics = metrics;
    this.port = port;
  }

  public static Gateway start(GatewayConfig config) {
    Database database = Database.open(config.database());
    GatewayMetrics metrics = new GatewayMetrics();
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    CachedPriceBook prices = new CachedPriceBook(new PricingRepository(database.dataSource())::all, blocking,
        PRICE_REFRESH);
    UsageRecorder recorder;
    try {
      prices.preload();
      recorder = new UsageRecorder(new RequestRepository(database.dataSource()), config.usage(),
          new UsageRecorder.Meters(metrics::usageSpooled, metrics::usageSetAside));
    } catch (RuntimeException e) {
      blocking.shutdown();
      database.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.server().eventLoops()));
    TokenEstimator estimator = new TokenEstimator();
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (ProviderConfig p : config.providers()) {
      providers.put(p.name(), Providers.create(vertx, p, estimator));
    }
    SharedState shared = SharedState.create(vertx, config.redis(), metrics);
    KeyAuthenticator authenticator = new KeyAuthenticator(new ApiKeyRepository(database.dataSource()),
        new UserRepository(database.dataSource()), config.auth(), blocking, Clock.systemUTC());
    shared.events().subscribe(event -> {
      if (event instanceof ClusterEvent.KeyChanged changed) {
        authenticator.invalidate(changed.keyHash());
      }
    });
    AdminRoutes admin = config.admin().enabled()
        ? new AdminRoutes(config.admin().token(), new ApiKeyRepository(database.dataSource()), shared.events())
        : null;
    SpendRepository spent = new SpendRepository(database.dataSource());
    Admission admission = new Admission(List.of(
        new RateCheck(shared.counters(), metrics, leaseTtl(config)),
        new QuotaCheck(shared.counters(), vertx, blocking, spent, metrics, Clock.systemUTC()),
        new SpendCheck(shared.counters(), vertx, blocking, spent, prices, metrics, Clock.systemUTC())));
    ChatServices chat = new ChatServices(new ModelRouter(config.models(), providers),
        new Namespaces(config.namespaces()), admission, estimator, prices, recorder);
    GatewayRoutes routes = new GatewayRoutes(authenticator, chat, metrics, admin, database,
        config.server().maxBodyBytes());
    try {
      int port = GatewayServer.start(vertx, routes, config.server()).await(30, TimeUnit.SECONDS);
      return new Gateway(vertx, database, recorder, blocking, shared, metrics, port);
    } catch (Exception e) {
      shared.close();
      vertx.close();
      recorder.close(Duration.ofSeconds(1));
      database.close();
      throw new IllegalStateException("cannot listen on " + config.server().host() + ":" + config.server().port()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * A request lasts at most its provider's connect and total timeouts; a concurrency slot lives
   * that long for the slowest provider, plus a margin for admission and settling.
   */
  private static Duration leaseTtl(GatewayConfig config) {
    Duration longest = Duration.ZERO;
    for (ProviderConfig p : config.providers()) {
      Duration call = p.timeouts().connect().plus(p.timeouts().total());
      longest = call.compareTo(longest) > 0 ? call : longest;
    }
    return longest.plus(LEASE_MARGIN);
  }

  public int port() {
    return port;
  }

  public Database database() {
    return database;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Stops accepting connections, lets queued usage records land, then releases everything. */
  @Override
  public void close() {
    try {
      shared.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Redis may be the thing that is down; shutting down must not wait on it
    }
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway: the records below matter more than a clean Vert.x shutdown
    }
    recorder.close(Duration.ofSeconds(30));
    blocking.shutdown();
    database.close();
  }
}
