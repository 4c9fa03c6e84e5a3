package io.tokenrouter.config;

import java.util.List;

/**
 * The whole configuration, as bound from YAML after environment overrides. Every nested record
 * fills its own defaults, so code that reads a value never sees null for something optional.
 */
public record GatewayConfig(
    ServerConfig server,
    DatabaseConfig database,
    RedisConfig redis,
    AuthConfig auth,
    UsageConfig usage,
    AdminConfig admin,
    List<ProviderConfig> providers,
    List<ModelConfig> models,
    List<NamespaceConfig> namespaces,
    PipelineConfig pipeline) {

  public GatewayConfig {
    server = server == null ? new ServerConfig(null, null, null, null) : server;
    database = database == null ? new DatabaseConfig(null, null, null, null) : database;
    redis = redis == null ? new RedisConfig(null, null, null, null) : redis;
    auth = auth == null ? new AuthConfig(null, null) : auth;
    usage = usage == null ? new UsageConfig(null, null, null, null) : usage;
    admin = admin == null ? new AdminConfig(null) : admin;
    providers = providers == null ? List.of() : List.copyOf(providers);
    models = models == null ? List.of() : List.copyOf(models);
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    pipeline = pipeline == null ? PipelineConfig.defaults() : pipeline;
  }

  public GatewayConfig withServer(ServerConfig newServer) {
    return new GatewayConfig(newServer, database, redis, auth, usage, admin, providers, models, namespaces, pipeline);
  }

  public GatewayConfig withDatabase(DatabaseConfig newDatabase) {
    return new GatewayConfig(server, newDatabase, redis, auth, usage, admin, providers, models, namespaces, pipeline);
  }

  public GatewayConfig withRedis(RedisConfig newRedis) {
    return new GatewayConfig(server, database, newRedis, auth, usage, admin, providers, models, namespaces, pipeline);
  }

  public GatewayConfig withUsage(UsageConfig newUsage) {
    return new GatewayConfig(server, database, redis, auth, newUsage, admin, providers, models, namespaces, pipeline);
  }
}
