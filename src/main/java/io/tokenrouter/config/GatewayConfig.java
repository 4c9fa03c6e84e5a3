package io.tokenrouter.config;

import java.util.List;

/**
 * The whole configuration, as bound from YAML after environment overrides. Every nested record
 * fills its own defaults, so code that reads a value never sees null for something optional.
 *
 * @param mode dev or production; when unset, dev on the embedded H2 database (one machine) and
 *     production on PostgreSQL (a shared deployment)
 * @param routes custom relay routes (seed 003): a path prefix relayed to a provider as it is
 * @param responses how the Responses API keeps the responses it answered
 */
public record GatewayConfig(
    Mode mode,
    ServerConfig server,
    DatabaseConfig database,
    RedisConfig redis,
    AuthConfig auth,
    UsageConfig usage,
    AdminConfig admin,
    List<ProviderConfig> providers,
    List<ModelConfig> models,
    List<NamespaceConfig> namespaces,
    List<RouteConfig> routes,
    ResponsesConfig responses,
    PipelineConfig pipeline,
    RoutingConfig routing) {

  public GatewayConfig {
    server = server == null ? new ServerConfig(null, null, null, null, null, null, null, null, null, null) : server;
    database = database == null ? new DatabaseConfig(null, null, null, null) : database;
    mode = mode != null ? mode : database.embedded() ? Mode.DEV : Mode.PRODUCTION;
    redis = redis == null ? new RedisConfig(null, null, null, null) : redis;
    auth = auth == null ? new AuthConfig(null, null, null, null, null, null, null, null) : auth;
    usage = usage == null ? new UsageConfig(null, null, null, null) : usage;
    admin = admin == null ? new AdminConfig(null, null) : admin;
    providers = providers == null ? List.of() : List.copyOf(providers);
    models = models == null ? List.of() : List.copyOf(models);
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    routes = routes == null ? List.of() : List.copyOf(routes);
    responses = responses == null ? new ResponsesConfig(null) : responses;
    pipeline = pipeline == null ? PipelineConfig.defaults() : pipeline;
    routing = routing == null ? new RoutingConfig(null, null, null, null, null, null, null) : routing;
  }

  public GatewayConfig withServer(ServerConfig newServer) {
    return new GatewayConfig(mode, newServer, database, redis, auth, usage, admin, providers, models, namespaces,
        routes, responses, pipeline, routing);
  }

  public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
    return new GatewayConfig(mode, server, newDatabase, redis, auth, usage, admin, providers, models, namespaces,
        routes, responses, pipeline, routing);
  }

  public GatewayConfig withRedis(RedisConfig newRedis) {
    return new GatewayConfig(mode, server, database, newRedis, auth, usage, admin, providers, models, namespaces,
        routes, responses, pipeline, routing);
  }

  public GatewayConfig withUsage(UsageConfig newUsage) {
    return new GatewayConfig(mode, server, database, redis, auth, newUsage, admin, providers, models, namespaces,
        routes, responses, pipeline, routing);
  }

  public GatewayConfig withAdmin(AdminConfig newAdmin) {
    return new GatewayConfig(mode, server, database, redis, auth, usage, newAdmin, providers, models, namespaces,
        routes, responses, pipeline, routing);
  }

  /** The same settings with other providers and models (the admin API's changes laid over the file's). */
  public GatewayConfig withProvidersAndModels(List<ProviderConfig> newProviders, List<ModelConfig> newModels) {
    return new GatewayConfig(mode, server, database, redis, auth, usage, admin, newProviders, newModels, namespaces,
        routes, responses, pipeline, routing);
  }

  /** Where the command line reaches this gateway's admin API. */
  public String adminUrl() {
    String url = admin.url() == null || admin.url().isBlank() ? server.localUrl() : admin.url();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
