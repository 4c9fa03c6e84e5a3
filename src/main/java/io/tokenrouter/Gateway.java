package io.tokenrouter;

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
import io.tokenrouter.auth.Authenticate;
import io.tokenrouter.auth.KeyAuthenticator;
import io.tokenrouter.billing.CachedPriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.budget.QuotaCheck;
import io.tokenrouter.budget.SpendCheck;
import io.tokenrouter.call.CallChain;
import io.tokenrouter.call.ReadRequest;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.dedup.Dedup;
import io.tokenrouter.http.GatewayRoutes;
import io.tokenrouter.http.GatewayServer;
import io.tokenrouter.limit.CapOutput;
import io.tokenrouter.limit.RateCheck;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.pipeline.PromptPipeline;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderRegistry;
import io.tokenrouter.routing.Attempts;
import io.tokenrouter.routing.CountLocally;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.routing.ResolveModel;
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
    ProviderRegistry registry = new ProviderRegistry();
    registry.check(config.providers());
    Database database = Database.open(config.database());
    GatewayMetrics metrics = new GatewayMetrics();
    ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    CachedPriceBook prices = new CachedPriceBook(new PricingRepository(database.dataSource())::all, blocking,
        PRICE_REFRESH);
    UsageRecorder recorder;
    try {
      prices.preload();
      recorder = new UsageRecorder(new RequestRepository(database.dataSource()), config.usage(), metrics::usageSpooled);
    } catch (RuntimeException e) {
      blocking.shutdown();
      database.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.server().eventLoops()));
    TokenEstimator tokens = new TokenEstimator();
    Map<String, OutboundAdapter> providers = registry.createAll(new ProviderContext(vertx, tokens), config.providers());
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
        new RateCheck(shared.counters(), metrics),
        new QuotaCheck(shared.counters(), vertx, spent, metrics, Clock.systemUTC()),
        new SpendCheck(shared.counters(), vertx, spent, metrics, Clock.systemUTC())));
    ModelRouter router = new ModelRouter(config.models(), providers);
    PromptPipeline pipeline = new PromptPipeline(config, tokens);
    CallChain chain = new CallChain(List.of(
        new Authenticate(authenticator),
        new ReserveRecord(recorder, metrics),
        new ReadRequest(),
        new ResolveModel(router),
        new Admit(new Namespaces(config.namespaces()), admission, tokens, prices),
        new CapOutput(tokens),
        new CountLocally(tokens),
        pipeline,
        Dedup.create(vertx, config.redis(), config.pipeline().dedup(), metrics),
        new Attempts(pipeline.targetStages())));
    List<InboundAdapter> apis = List.of(new ChatCompletionsApi(), new MessagesApi(tokens), new CountTokensApi());
    GatewayRoutes routes = new GatewayRoutes(apis, chain, new Accountant(recorder, metrics, prices, tokens),
        authenticator, router, metrics, admin, database, config.server().maxBodyBytes());
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
