package io.tokenrouter;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenrouter.accounting.Accountant;
import io.tokenrouter.accounting.ReserveRecord;
import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.admission.Admission;
import io.tokenrouter.admission.Admit;
import io.tokenrouter.admission.Namespaces;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.api.anthropic.CountTokensApi;
import io.tokenrouter.api.anthropic.MessagesApi;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.api.openai.CompletionsApi;
import io.tokenrouter.api.openai.EmbeddingsApi;
import io.tokenrouter.api.relay.RelayApi;
import io.tokenrouter.api.relay.RelayOnce;
import io.tokenrouter.api.responses.ResponseArchive;
import io.tokenrouter.api.responses.ResponsesApi;
import io.tokenrouter.api.responses.ResponsesHistory;
import io.tokenrouter.auth.Authenticate;
import io.tokenrouter.auth.Authenticator;
import io.tokenrouter.auth.KeyAuthenticator;
import io.tokenrouter.auth.RemoteAuthenticator;
import io.tokenrouter.billing.CachedPriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.budget.QuotaCheck;
import io.tokenrouter.budget.SpendCheck;
import io.tokenrouter.call.CallChain;
import io.tokenrouter.call.ReadRequest;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.AdminTokenFile;
import io.tokenrouter.config.AuthConfig;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.Mode;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.ProductionSafety;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.RouteConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.http.GatewayRoutes;
import io.tokenrouter.http.GatewayServer;
import io.tokenrouter.limit.CapOutput;
import io.tokenrouter.limit.RateCheck;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderRegistry;
import io.tokenrouter.routing.Attempts;
import io.tokenrouter.routing.CountLocally;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.routing.ResolveModel;
import io.tokenrouter.secrets.SecretBox;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.PricingRepository;
import io.tokenrouter.store.ProviderRepository;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.store.ResponseRepository;
import io.tokenrouter.store.RollupCompaction;
import io.tokenrouter.store.SpendRepository;
import io.tokenrouter.store.UserRepository;
import io.tokenrouter.usage.RollupCompactor;
import io.tokenrouter.usage.UsageRecorder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part from the configuration, in request-path order, and
 * tears them down in reverse. {@link #start} returns once the port is open.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
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
    return start(config, System.getenv());
  }

  /**
   * Starts on {@code config}; {@code env} is asked only for the secrets master key. Production
   * mode refuses what {@link ProductionSafety} names before anything is opened.
   */
  public static Gateway start(GatewayConfig config, Map<String, String> env) {
    boolean masterKey;
    try {
      masterKey = SecretBox.fromEnvironment(env).isPresent();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    config = withDevAdminToken(config);
    List<String> unsafe = ProductionSafety.problems(config, false, masterKey);
    if (!unsafe.isEmpty()) {
      throw new ConfigException(unsafe);
    }
    ProviderRegistry registry = new ProviderRegistry();
    registry.check(config.providers());
    Database database = Database.open(config.database());
    if (config.mode() == Mode.PRODUCTION && !masterKey
        && new ProviderRepository(database.dataSource()).holdsSecrets()) {
      database.close();
      throw new ConfigException(ProductionSafety.problems(config, true, false));
    }
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
    TokenEstimator tokens = new TokenEstimator();
    Map<String, OutboundAdapter> providers = registry.createAll(new ProviderContext(vertx, tokens), config.providers());
    SharedState shared = SharedState.create(vertx, config.redis(), metrics);
    Authenticator authenticator = authenticator(config, database, blocking, metrics);
    shared.events().subscribe(event -> {
      if (event instanceof ClusterEvent.KeyChanged changed) {
        authenticator.invalidate(changed.keyHash());
      }
    });
    AdminRoutes admin = config.admin().enabled()
        ? new AdminRoutes(config.admin().token(), "admin", database.dataSource(), shared.events(), config,
            Clock.systemUTC())
        : null;
    SpendRepository spent = new SpendRepository(database.dataSource());
    Admission admission = new Admission(List.of(
        new RateCheck(shared.counters(), metrics, leaseTtl(config)),
        new QuotaCheck(shared.counters(), vertx, blocking, spent, metrics, Clock.systemUTC()),
        new SpendCheck(shared.counters(), vertx, blocking, spent, prices, metrics, Clock.systemUTC())));
    ModelRouter router = new ModelRouter(routeModels(config), providers);
    ResponseArchive archive = new ResponseArchive(new ResponseRepository(database.dataSource()), blocking,
        config.responses().retention(), Clock.systemUTC());
    archive.purgePeriodically(vertx);
    new RollupCompactor(new RollupCompaction(database.dataSource()), blocking, Clock.systemUTC()).start(vertx);
    CallChain chain = new CallChain(List.of(
        new Authenticate(authenticator),
        new ReserveRecord(recorder, metrics),
        new ReadRequest(),
        new ResponsesHistory(archive),
        new ResolveModel(router),
        new Admit(new Namespaces(config.namespaces()), admission, tokens),
        new CapOutput(tokens),
        new CountLocally(tokens),
        new RelayOnce(),
        new Attempts()));
    List<InboundAdapter> apis = new ArrayList<>(List.of(new ChatCompletionsApi(), new MessagesApi(tokens),
        new CountTokensApi(), new ResponsesApi(archive), new CompletionsApi(), new EmbeddingsApi()));
    config.routes().forEach(route -> apis.add(new RelayApi(route)));
    GatewayRoutes routes = new GatewayRoutes(apis, chain, new Accountant(recorder, metrics, prices, tokens),
        authenticator, new ModelRouter(config.models(), providers), metrics, admin, database,
        config.server().maxBodyBytes(), config.server().corsOrigins());
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

  /** Keys checked in the gateway's own table, or by the external token authority ({@code auth.mode: remote}). */
  private static Authenticator authenticator(GatewayConfig config, Database database, ExecutorService blocking,
      GatewayMetrics metrics) {
    if (config.auth().mode() == AuthConfig.Mode.REMOTE) {
      return new RemoteAuthenticator(config.auth(), new RemoteAuthenticator.Listener() {
        @Override
        public void looked(boolean cached) {
          metrics.authCacheLookup(cached);
        }

        @Override
        public void authorityAnswered(String outcome, long nanos) {
          metrics.authorityAnswered(outcome, nanos);
        }
      }, Ticker.systemTicker());
    }
    return new KeyAuthenticator(new ApiKeyRepository(database.dataSource()), new UserRepository(database.dataSource()),
        config.auth(), blocking, Clock.systemUTC());
  }

  /**
   * In dev mode on an H2 file without a configured admin token, the token of the database's token
   * file (made on first start), so the command line of the same user can manage keys while this
   * gateway runs. Production never gets here without a configured token.
   */
  private static GatewayConfig withDevAdminToken(GatewayConfig config) {
    if (config.mode() != Mode.DEV || config.admin().enabled()) {
      return config;
    }
    return AdminTokenFile.of(config.database()).map(file -> {
      String token = file.readOrCreate();
      log.info("admin API enabled with the dev token in {} (owner-only file; set admin.token to choose one)",
          file.path());
      return config.withAdmin(config.admin().withToken(token));
    }).orElse(config);
  }

  /**
   * The configured models and, for routing only, each custom route as a model of its name served
   * by its provider: the route's requests then pass the same allowlists, limits and records.
   */
  private static List<ModelConfig> routeModels(GatewayConfig config) {
    List<ModelConfig> models = new ArrayList<>(config.models());
    for (RouteConfig route : config.routes()) {
      models.add(new ModelConfig(route.name(), List.of(new TargetConfig(route.provider(), route.name()))));
    }
    return models;
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
