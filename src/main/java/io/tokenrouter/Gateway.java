package io.tokenrouter;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenrouter.accounting.Accountant;
import io.tokenrouter.accounting.ReserveRecord;
import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.admin.LiveConfig;
import io.tokenrouter.admin.StoredOverrides;
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
import io.tokenrouter.call.CallListener;
import io.tokenrouter.call.CallListeners;
import io.tokenrouter.call.ReadRequest;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.AdminTokenFile;
import io.tokenrouter.config.AuthConfig;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.ConfigOverrides;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.Mode;
import io.tokenrouter.config.ProductionSafety;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.dedup.Dedup;
import io.tokenrouter.http.GatewayRoutes;
import io.tokenrouter.http.GatewayServer;
import io.tokenrouter.limit.CapOutput;
import io.tokenrouter.limit.RateCheck;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.pipeline.PromptPipeline;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderRegistry;
import io.tokenrouter.provider.ProviderSet;
import io.tokenrouter.routing.ConfigReload;
import io.tokenrouter.routing.CountLocally;
import io.tokenrouter.routing.HealthReport;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.routing.Reconfigurer;
import io.tokenrouter.routing.ResolveModel;
import io.tokenrouter.routing.RetryAndFallback;
import io.tokenrouter.routing.RoutingStats;
import io.tokenrouter.routing.RoutingTasks;
import io.tokenrouter.routing.SendAttempt;
import io.tokenrouter.routing.SessionAffinity;
import io.tokenrouter.routing.TargetStates;
import io.tokenrouter.secrets.SecretBox;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.PricingRepository;
import io.tokenrouter.store.ProviderRepository;
import io.tokenrouter.store.RequestRepository;
import io.tokenrouter.store.ResponseRepository;
import io.tokenrouter.store.RollupCompaction;
import io.tokenrouter.store.RollupCompactor;
import io.tokenrouter.store.SpendRepository;
import io.tokenrouter.store.UserRepository;
import io.tokenrouter.usage.UsageRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final ResponseArchive archive;
  private final ExecutorService blocking;
  private final SharedState shared;
  private final GatewayMetrics metrics;
  private final RoutingTasks background;
  private final int port;

  private Gateway(Vertx vertx, Database database, UsageRecorder recorder, ResponseArchive archive,
      ExecutorService blocking, SharedState shared, GatewayMetrics metrics, RoutingTasks background, int port) {
    this.vertx = vertx;
    this.database = database;
    this.recorder = recorder;
    this.archive = archive;
    this.blocking = blocking;
    this.shared = shared;
    this.metrics = metrics;
    this.background = background;
    this.port = port;
  }

  public static Gateway start(GatewayConfig config) {
    return start(config, System.getenv());
  }

  /** Starts on {@code config}, read from no file: its routing changes only with a restart. */
  public static Gateway start(GatewayConfig config, Map<String, String> env) {
    return start(config, null, env);
  }

  /**
   * Starts on {@code config}; {@code env} is asked for the secrets master key, and resolves the
   * file's {@code ${VAR}} references when it is reloaded. Production mode refuses what
   * {@link ProductionSafety} names before anything is opened.
   *
   * @param path the file {@code config} was read from, reloaded while the gateway runs (null: none,
   *     and then only the admin API's stored changes are reloaded)
   */
  public static Gateway start(GatewayConfig config, Path path, Map<String, String> env) {
    Optional<SecretBox> secrets;
    try {
      secrets = SecretBox.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    boolean masterKey = secrets.isPresent();
    config = withDevAdminToken(config);
    List<String> unsafe = ProductionSafety.problems(config, false, masterKey);
    if (!unsafe.isEmpty()) {
      throw new ConfigException(unsafe);
    }
    ProviderRegistry registry = new ProviderRegistry();
    registry.check(config.providers());
    Database database = Database.open(config.database(), true);
    if (config.mode() == Mode.PRODUCTION && !masterKey
        && new ProviderRepository(database.dataSource()).holdsSecrets()) {
      database.close();
      throw new ConfigException(ProductionSafety.problems(config, true, false));
    }
    GatewayConfig file = config;
    StoredOverrides stored = new StoredOverrides(database.dataSource(), secrets);
    ConfigOverrides overrides;
    try {
      overrides = stored.read();
      config = overrides.over(file);
      ConfigLoader.validate(config);
      registry.check(config.providers());
    } catch (ConfigException e) {
      database.close();
      throw new ConfigException(e.problems().stream()
          .map(p -> p + " (with the provider and model changes stored through the admin API)").toList());
    }
    GatewayMetrics metrics = new GatewayMetrics();
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    CachedPriceBook prices = new CachedPriceBook(new PricingRepository(database.dataSource())::all, blocking,
        PRICE_REFRESH);
    TokenEstimator tokens = new TokenEstimator();
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
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.server().eventLoops())
        .setPreferNativeTransport(true));
    SharedState shared = SharedState.create(vertx, config.redis(), config.routing(), metrics);
    Reconfigurer routing = new Reconfigurer(new ProviderSet(registry, new ProviderContext(vertx, tokens)),
        new TargetStates(shared.health(), metrics), prices, config);
    ModelRouter router = routing.router();
    shared.health().start(() -> router.table().targets());
    ConfigReload reload = new ConfigReload(vertx, path, file, new ConfigLoader(env), stored::read, overrides, routing,
        shared.events());
    RoutingTasks background = RoutingTasks.start(vertx, routing, reload);
    Authenticator authenticator = authenticator(config, database, blocking, metrics);
    shared.events().subscribe(event -> {
      if (event instanceof ClusterEvent.KeyChanged changed) {
        authenticator.invalidate(changed.keyHash());
      } else if (event instanceof ClusterEvent.PricesChanged) {
        prices.refresh();
      }
    });
    AdminRoutes admin = config.admin().enabled()
        ? new AdminRoutes(config.admin().token(), "admin", database.dataSource(), shared.events(), config,
            Clock.systemUTC(), () -> HealthReport.of(router), live(reload, prices), stored)
        : null;
    SpendRepository spent = new SpendRepository(database.dataSource());
    Admission admission = new Admission(List.of(
        new RateCheck(shared.counters(), metrics, leaseTtl(config)),
        new QuotaCheck(shared.counters(), vertx, blocking, spent, metrics, Clock.systemUTC()),
        new SpendCheck(shared.counters(), vertx, blocking, spent, prices, metrics, Clock.systemUTC())));
    ResponseArchive archive = new ResponseArchive(new ResponseRepository(database.dataSource()), blocking,
        config.responses().retention(), Clock.systemUTC());
    archive.purgePeriodically(vertx);
    new RollupCompactor(new RollupCompaction(database.dataSource()), blocking, Clock.systemUTC()).start(vertx);
    PromptPipeline pipeline = new PromptPipeline(config, tokens);
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
        pipeline,
        Dedup.create(vertx, config.redis(), config.pipeline().dedup(), metrics),
        new RetryAndFallback(vertx, new SessionAffinity(shared.pins()), metrics),
        new SendAttempt(pipeline.targetStages())));
    List<InboundAdapter> apis = new ArrayList<>(List.of(new ChatCompletionsApi(), new MessagesApi(tokens),
        new CountTokensApi(), new ResponsesApi(archive), new CompletionsApi(), new EmbeddingsApi()));
    config.routes().forEach(route -> apis.add(new RelayApi(route)));
    CallListener listener = new CallListeners(List.of(new Accountant(recorder, metrics, prices, tokens),
        new RoutingStats()));
    GatewayRoutes routes = new GatewayRoutes(apis, chain, listener, authenticator, router, metrics, admin, database,
        config.server().maxBodyBytes(), config.server().corsOrigins());
    try {
      int port = GatewayServer.start(vertx, routes, config.server()).await(30, TimeUnit.SECONDS);
      // After the port opens, not before: the encodings are a second of CPU and 50 MB of maps the
      // start would otherwise wait for; the few counts asked for meanwhile wait for them instead.
      tokens.loadInBackground();
      return new Gateway(vertx, database, recorder, archive, blocking, shared, metrics, background, port);
    } catch (Exception e) {
      background.stop();
      shared.close();
      vertx.close();
      recorder.close(Duration.ofSeconds(1));
      database.close();
      throw new IllegalStateException("cannot listen on " + config.server().host() + ":" + config.server().port()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the configuration file again and puts its providers, models and routing into force
   * (SIGHUP); completes with whether it changed, fails when it cannot be used (nothing changes).
   */
  public Future<Boolean> reload() {
    return background.reload();
  }

  /** The admin API's provider, model and price changes put into force through the reload path. */
  private static LiveConfig live(ConfigReload reload, CachedPriceBook prices) {
    return new LiveConfig() {
      @Override
      public GatewayConfig candidate(ConfigOverrides overrides) {
        return reload.candidate(overrides);
      }

      @Override
      public void reload() {
        // announced by the admin API with the change, once it is committed
        reload.reloadNow(false);
      }

      @Override
      public void pricesChanged() {
        prices.reload();
      }
    };
  }

  /**
   * A request's last attempt starts within the retry budget and lasts at most its provider's
   * connect and total timeouts; a concurrency slot lives that long for the slowest provider,
   * plus a margin for admission and settling.
   */
  private static Duration leaseTtl(GatewayConfig config) {
    Duration longest = Duration.ZERO;
    for (ProviderConfig p : config.providers()) {
      Duration call = p.timeouts().connect().plus(p.timeouts().total());
      longest = call.compareTo(longest) > 0 ? call : longest;
    }
    return longest.plus(config.routing().retry().budget()).plus(LEASE_MARGIN);
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
    background.stop();
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
    archive.close(Duration.ofSeconds(10));
    blocking.shutdown();
    database.close();
  }
}
