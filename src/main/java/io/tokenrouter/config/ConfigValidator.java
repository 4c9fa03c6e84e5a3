package io.tokenrouter.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks what binding cannot: ranges, references between sections, required fields. */
final class ConfigValidator {
  /** More retries of one target than this only delay the fallback to the next one. */
  static final int MAX_RETRIES = 10;

  private ConfigValidator() {}

  static void validate(GatewayConfig config) {
    List<String> problems = new ArrayList<>();
    ServerConfig server = config.server();
    if (server.port() < 0 || server.port() > 65535) {
      problems.add("server.port: must be between 0 and 65535, was " + server.port());
    }
    if (server.maxBodyBytes() < 1024) {
      problems.add("server.max_body_bytes: must be at least 1024, was " + server.maxBodyBytes());
    }
    if (server.eventLoops() < 1) {
      problems.add("server.event_loops: must be at least 1");
    }
    if (server.maxRequestLineBytes() < 256) {
      problems.add("server.max_request_line_bytes: must be at least 256, was " + server.maxRequestLineBytes());
    }
    if (server.maxHeaderBytes() < 1024) {
      problems.add("server.max_header_bytes: must be at least 1024, was " + server.maxHeaderBytes());
    }
    positive(problems, "server.header_timeout", server.headerTimeout());
    positive(problems, "server.body_timeout", server.bodyTimeout());
    positive(problems, "server.idle_timeout", server.idleTimeout());
    for (int i = 0; i < server.corsOrigins().size(); i++) {
      checkOrigin(problems, "server.cors_origins[" + i + "]", server.corsOrigins().get(i));
    }
    if (config.admin().url() != null && !config.admin().url().isBlank()) {
      checkUrl(problems, "admin.url", config.admin().url());
    }
    if (!config.database().url().startsWith("jdbc:h2:") && !config.database().url().startsWith("jdbc:postgresql:")) {
      problems.add("database.url: must start with jdbc:h2: or jdbc:postgresql:");
    }
    if (config.database().poolSize() < 1) {
      problems.add("database.pool_size: must be at least 1");
    }
    if (config.database().connectionTimeout().toMillis() < 250) {
      problems.add("database.connection_timeout: must be at least 250ms (the connection pool's floor)");
    }
    if (config.database().socketTimeout().toMillis() < 1000) {
      problems.add("database.socket_timeout: must be at least 1s (the PostgreSQL driver counts it in seconds)");
    }
    positive(problems, "database.statement_timeout", config.database().statementTimeout());
    if (config.database().socketTimeout().compareTo(config.database().statementTimeout()) <= 0) {
      problems.add("database.socket_timeout: must be longer than database.statement_timeout, so that a slow"
          + " statement is cancelled by the database before the connection is given up");
    }
    positive(problems, "auth.cache_ttl", config.auth().cacheTtl());
    positive(problems, "auth.lookup_timeout", config.auth().lookupTimeout());
    if (config.auth().staleFor().compareTo(config.auth().cacheTtl()) < 0) {
      problems.add("auth.stale_for: must be at least auth.cache_ttl");
    }
    if (config.auth().cacheSize() < 1) {
      problems.add("auth.cache_size: must be at least 1");
    }
    positive(problems, "auth.introspection_timeout", config.auth().introspectionTimeout());
    if (config.auth().mode() == AuthConfig.Mode.REMOTE) {
      checkUrl(problems, "auth.introspection_url", config.auth().introspectionUrl());
    }
    RedisConfig redis = config.redis();
    if (redis.enabled() && !redis.url().startsWith("redis://") && !redis.url().startsWith("rediss://")) {
      problems.add("redis.url: must start with redis:// or rediss://");
    }
    positive(problems, "redis.timeout", redis.timeout());
    if (config.usage().queueCapacity() < 1) {
      problems.add("usage.queue_capacity: must be at least 1");
    }
    if (config.usage().batchSize() < 1) {
      problems.add("usage.batch_size: must be at least 1");
    }
    positive(problems, "usage.flush_interval", config.usage().flushInterval());

    Set<String> providerNames = new HashSet<>();
    for (int i = 0; i < config.providers().size(); i++) {
      ProviderConfig p = config.providers().get(i);
      String at = "providers[" + i + "]";
      if (p.name() == null || p.name().isBlank()) {
        problems.add(at + ".name: is required");
      } else if (!providerNames.add(p.name())) {
        problems.add(at + ".name: '" + p.name() + "' is used twice");
      }
      if (p.type() == null || p.type().isEmpty()) {
        problems.add(at + ".type: is required (openai, anthropic or mock)");
      } else if (!ProviderConfig.MOCK.equals(p.type())) {
        checkUrl(problems, at + ".base_url", p.baseUrl());
      }
      if (!ProviderConfig.RESPONSES_NATIVE.equals(p.responses())
          && !ProviderConfig.RESPONSES_TRANSLATE.equals(p.responses())) {
        problems.add(at + ".responses: must be native or translate, was '" + p.responses() + "'");
      }
      if (p.maxConnections() < 1) {
        problems.add(at + ".max_connections: must be at least 1");
      }
      if (p.maxRetries() != null && (p.maxRetries() < 0 || p.maxRetries() > MAX_RETRIES)) {
        problems.add(at + ".max_retries: must be between 0 and " + MAX_RETRIES + ", was " + p.maxRetries());
      }
      positive(problems, at + ".timeouts.connect", p.timeouts().connect());
      positive(problems, at + ".timeouts.first_byte", p.timeouts().firstByte());
      positive(problems, at + ".timeouts.idle", p.timeouts().idle());
      positive(problems, at + ".timeouts.total", p.timeouts().total());
      if (p.timeouts().poolIdle().toSeconds() < 1) {
        problems.add(at + ".timeouts.pool_idle: must be at least 1s");
      }
      if (!p.apiKey().isEmpty() && !p.apiKeys().isEmpty()) {
        problems.add(at + ": set api_key or api_keys, not both");
      }
      for (int k = 0; k < p.apiKeys().size(); k++) {
        if (p.apiKeys().get(k) == null || p.apiKeys().get(k).isBlank()) {
          problems.add(at + ".api_keys[" + k + "]: is empty");
        }
      }
    }

    Set<String> modelNames = new HashSet<>();
    for (int i = 0; i < config.models().size(); i++) {
      ModelConfig m = config.models().get(i);
      String at = "models[" + i + "]";
      if (m.name() == null || m.name().isBlank()) {
        problems.add(at + ".name: is required");
      } else if (!modelNames.add(m.name())) {
        problems.add(at + ".name: '" + m.name() + "' is used twice");
      } else if (wildcards(m.name()) > 1) {
        problems.add(at + ".name: '" + m.name() + "' may hold one * at most");
      }
      for (int j = 0; j < m.aliases().size(); j++) {
        String alias = m.aliases().get(j);
        if (alias == null || alias.isBlank() || alias.contains("*")) {
          problems.add(at + ".aliases[" + j + "]: must be a plain model name");
        } else if (!modelNames.add(alias)) {
          problems.add(at + ".aliases[" + j + "]: '" + alias + "' is used twice");
        }
      }
      if (m.strategy() != null) {
        strategy(problems, at + ".strategy", m.strategy());
      }
      if (m.targets().isEmpty()) {
        problems.add(at + ".targets: needs at least one target");
      }
      boolean wildcard = m.name() != null && m.name().contains("*");
      for (int j = 0; j < m.targets().size(); j++) {
        TargetConfig t = m.targets().get(j);
        String tat = at + ".targets[" + j + "]";
        if (t.provider() == null || !providerNames.contains(t.provider())) {
          problems.add(tat + ".provider: '" + t.provider() + "' is not a configured provider"
              + (t.provider() == null ? "" : "." + Suggestions.didYouMean(t.provider(), providerNames)));
        }
        if (!wildcard && (t.model() == null || t.model().isBlank())) {
          problems.add(tat + ".model: is required");
        } else if (!wildcard && t.model().contains("*")) {
          problems.add(tat + ".model: * stands for what a wildcard name matched; '" + m.name() + "' has none");
        }
        if (t.weight() < 0) {
          problems.add(tat + ".weight: must be 0 or more");
        }
      }
    }
    validateRouting(config.routing(), problems);
    validateNamespaces(config, problems);
    validateRoutes(config, providerNames, modelNames, problems);
    validatePipeline(config, providerNames, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static void validateRouting(RoutingConfig routing, List<String> problems) {
    strategy(problems, "routing.strategy", routing.strategy());
    RoutingConfig.Retry retry = routing.retry();
    atLeastOne(problems, "routing.retry.per_target", retry.perTarget());
    atLeastOne(problems, "routing.retry.max_attempts", retry.maxAttempts());
    positive(problems, "routing.retry.backoff", retry.backoff());
    if (retry.maxBackoff().compareTo(retry.backoff()) < 0) {
      problems.add("routing.retry.max_backoff: must be at least routing.retry.backoff");
    }
    if (retry.maxRetryAfter().isNegative()) {
      problems.add("routing.retry.max_retry_after: must not be negative");
    }
    positive(problems, "routing.retry.budget", retry.budget());
    RoutingConfig.Breaker breaker = routing.breaker();
    atLeastOne(problems, "routing.breaker.failures", breaker.failures());
    if (breaker.errorRate() <= 0 || breaker.errorRate() > 1) {
      problems.add("routing.breaker.error_rate: must be above 0 and at most 1");
    }
    atLeastOne(problems, "routing.breaker.min_calls", breaker.minCalls());
    positive(problems, "routing.breaker.window", breaker.window());
    positive(problems, "routing.breaker.open_for", breaker.openFor());
    atLeastOne(problems, "routing.breaker.probes", breaker.probes());
    if (routing.healthCheck().interval().isNegative()) {
      problems.add("routing.health_check.interval: must not be negative (0 turns active checks off)");
    }
    positive(problems, "routing.health_check.timeout", routing.healthCheck().timeout());
    positive(problems, "routing.affinity.ttl", routing.affinity().ttl());
    atLeastOne(problems, "routing.affinity.max_sessions", routing.affinity().maxSessions());
    positive(problems, "routing.model_list_refresh", routing.modelListRefresh());
    positive(problems, "routing.reload.interval", routing.reload().interval());
  }

  private static void strategy(List<String> problems, String path, String name) {
    if (!RoutingConfig.STRATEGIES.contains(name)) {
      problems.add(path + ": '" + name + "' is not a strategy; choose one of "
          + String.join(", ", RoutingConfig.STRATEGIES) + "." + Suggestions.didYouMean(name, RoutingConfig.STRATEGIES));
    }
  }

  private static void atLeastOne(List<String> problems, String path, int value) {
    if (value < 1) {
      problems.add(path + ": must be at least 1");
    }
  }

  private static int wildcards(String name) {
    return (int) name.chars().filter(c -> c == '*').count();
  }

  private static void validatePipeline(GatewayConfig config, Set<String> providerNames, List<String> problems) {
    PipelineConfig pipeline = config.pipeline();
    stages(problems, "pipeline.off", pipeline.off());
    if (pipeline.historyBudgetTokens() != null && pipeline.historyBudgetTokens() < 1) {
      problems.add("pipeline.history_budget_tokens: must be at least 1 (leave it out to keep every turn)");
    }
    if (pipeline.cacheKeyProviders() != null) {
      for (String name : pipeline.cacheKeyProviders()) {
        if (!providerNames.contains(name)) {
          problems.add("pipeline.cache_key_providers: '" + name + "' is not a configured provider");
        }
      }
    }
    if (pipeline.cacheKeySpread() < 1) {
      problems.add("pipeline.cache_key_spread: must be at least 1");
    }
    pipeline.minCacheTokens().forEach((model, tokens) -> {
      if (tokens == null || tokens < 1) {
        problems.add("pipeline.min_cache_tokens." + model + ": must be at least 1");
      }
    });
    positive(problems, "pipeline.dedup.max_wait", pipeline.dedup().maxWait());
    for (int i = 0; i < config.models().size(); i++) {
      PipelineConfig.ModelOverrides own = config.models().get(i).pipeline();
      if (own == null) {
        continue;
      }
      stages(problems, "models[" + i + "].pipeline.off", own.off());
      if (own.historyBudgetTokens() != null && own.historyBudgetTokens() < 1) {
        problems.add("models[" + i + "].pipeline.history_budget_tokens: must be at least 1");
      }
    }
  }

  private static void stages(List<String> problems, String at, List<String> names) {
    for (String name : names) {
      if (name == null || PipelineConfig.Stage.parse(name) == null) {
        problems.add(at + ": '" + name + "' is not a pipeline stage; choose from "
            + Arrays.stream(PipelineConfig.Stage.values()).map(PipelineConfig.Stage::configName).toList());
      }
    }
  }

  private static void validateNamespaces(GatewayConfig config, List<String> problems) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.namespaces().size(); i++) {
      NamespaceConfig ns = config.namespaces().get(i);
      String at = "namespaces[" + i + "]";
      if (ns.name() == null || ns.name().isBlank()) {
        problems.add(at + ".name: is required");
      } else if (!names.add(ns.name())) {
        problems.add(at + ".name: '" + ns.name() + "' is used twice");
      }
      NamespaceConfig.Match m = ns.match();
      int kinds = m == null ? 0 : (m.key() != null ? 1 : 0) + (m.project() != null ? 1 : 0)
          + (m.header() != null && !m.header().isEmpty() ? 1 : 0) + (m.path() != null ? 1 : 0);
      if (kinds != 1) {
        problems.add(at + ".match: needs exactly one of key, project, header, path");
      }
      NamespaceConfig.Policy p = ns.policy();
      for (Object[] limit : new Object[][] {{"rpm", p.rpm()}, {"tpm", p.tpm()}, {"max_concurrency", p.maxConcurrency()},
          {"burst", p.burst()}, {"max_input_tokens", p.maxInputTokens()}, {"max_output_tokens", p.maxOutputTokens()}}) {
        if (limit[1] != null && (Integer) limit[1] < 1) {
          problems.add(at + ".policy." + limit[0] + ": must be at least 1");
        }
      }
    }
  }

  private static void validateRoutes(GatewayConfig config, Set<String> providers, Set<String> models,
      List<String> problems) {
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < config.routes().size(); i++) {
      RouteConfig r = config.routes().get(i);
      String at = "routes[" + i + "]";
      if (r.name() == null || r.name().isBlank()) {
        problems.add(at + ".name: is required");
      } else if (!names.add(r.name()) || models.contains(r.name())) {
        problems.add(at + ".name: '" + r.name() + "' is already the name of a model or route");
      }
      if (r.path() == null || !r.path().startsWith("/") || r.path().endsWith("/") || r.path().contains("*")
          || r.path().contains(":")) {
        problems.add(at + ".path: must be a path prefix like /v1/audio/speech (no trailing /, * or :)");
      } else if (!paths.add(r.path())) {
        problems.add(at + ".path: '" + r.path() + "' is routed twice");
      }
      if (r.upstreamPath() != null && !r.upstreamPath().startsWith("/")) {
        problems.add(at + ".upstream_path: must start with /");
      }
      if (r.provider() == null || !providers.contains(r.provider())) {
        problems.add(at + ".provider: '" + r.provider() + "' is not a configured provider");
      }
      if (!Set.of(RouteConfig.SSE, RouteConfig.JSON, RouteConfig.BINARY).contains(r.kind())) {
        problems.add(at + ".kind: must be sse, json or binary, was '" + r.kind() + "'");
      }
    }
  }

  private static void positive(List<String> problems, String path, Duration d) {
    if (d.isNegative() || d.isZero()) {
      problems.add(path + ": must be a positive duration");
    }
  }

  /** An origin is scheme://host[:port], exactly as browsers send it: no path, no trailing slash. */
  private static void checkOrigin(List<String> problems, String path, String origin) {
    if ("*".equals(origin)) {
      return;
    }
    try {
      URI uri = URI.create(origin);
      boolean ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null;
      if (!ok) {
        problems.add(path + ": an origin is scheme://host[:port] with nothing after it, e.g."
            + " https://console.example.com; was '" + origin + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(path + ": not an origin: '" + origin + "'");
    }
  }

  private static void checkUrl(List<String> problems, String path, String url) {
    if (url == null || url.isBlank()) {
      problems.add(path + ": is required");
      return;
    }
    try {
      URI uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        problems.add(path + ": must be an http:// or https:// URL, was '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(path + ": not a URL: '" + url + "'");
    }
  }
}
