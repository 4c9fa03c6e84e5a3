package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.secrets.SecretBox;
import io.tokenrouter.store.AuditRepository;
import io.tokenrouter.store.Transactions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The admin API under {@code /admin}: seed 004's {@code /admin/api-keys}, {@code /admin/usage} and
 * {@code /admin/providers}, model mappings and prices, users, plans, the recent requests log, namespaces and the audit trail, described at
 * {@code /admin/openapi.json}. Every request must bear the admin token (compared in constant
 * time); every change is written with its audit row in one transaction and then announced to
 * every instance, so a key changed here is refused or re-read everywhere as soon as the event
 * arrives. Errors are OpenAI's shape.
 */
public final class AdminRoutes {
  private final byte[] token;
  private final long maxBodyBytes;
  private final List<AdminResource> resources;
  private final OpenApiResource openApi = new OpenApiResource();

  /**
   * @param actor who changes made with this token are recorded as: "admin" on a gateway,
   *     "cli:<os user>" for the command line working on the database directly
   */
  public AdminRoutes(String token, String actor, DataSource ds, ClusterEvents events, GatewayConfig config,
      Clock clock) {
    this(token, actor, ds, events, config, clock, null, LiveConfig.offline(config),
        new StoredOverrides(ds, masterKey()));
  }

  /**
   * @param providerHealth each routing target's circuit, statistics and keys as the running
   *     gateway's router knows them now; null where no router runs (the command line's own
   *     admin API), and then {@code /admin/providers/health} is not mounted
   * @param live checks provider and model changes and puts them into force
   * @param stored the provider and model changes kept in the database
   */
  public AdminRoutes(String token, String actor, DataSource ds, ClusterEvents events, GatewayConfig config,
      Clock clock, Supplier<JsonObject> providerHealth, LiveConfig live, StoredOverrides stored) {
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.maxBodyBytes = config.server().maxBodyBytes();
    AdminContext admin = new AdminContext(ds, new Transactions(ds), new AuditTrail(new AuditRepository(ds), clock),
        new Exchange(events), clock, actor);
    ConfigChanges changes = new ConfigChanges(admin, stored, live);
    List<AdminResource> all = new ArrayList<>();
    if (providerHealth != null) {
      // before the providers' own routes, where "health" would be taken for a provider's name
      all.add(r -> r.get("/admin/providers/health").handler(ctx -> Exchange.json(ctx, 200, providerHealth.get())));
    }
    all.addAll(List.of(
        new KeysResource(admin),
        new UsersResource(admin),
        new PlansResource(admin),
        new UsageResource(admin),
        new StatusResource(admin),
        new ProvidersResource(admin, changes),
        new ModelsResource(admin, changes, config),
        new PricingResource(admin, live),
        new RequestsResource(admin),
        new AuditResource(admin),
        new NamespacesResource(config.namespaces()),
        new InfoResource(config)));
    this.resources = List.copyOf(all);
  }

  /** The command line's own admin API seals provider keys with the same master key as the gateways. */
  private static Optional<SecretBox> masterKey() {
    try {
      return SecretBox.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  public void mount(Router router) {
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)
        .setHandleFileUploads(false));
    openApi.mount(router);
    router.route("/admin/*").handler(this::authorize);
    for (AdminResource resource : resources) {
      resource.mount(router);
    }
  }

  private void authorize(RoutingContext ctx) {
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      Exchange.error(ctx, 401, given == null
              ? "The admin API needs the admin token: Authorization: Bearer <admin.token>."
              : "The admin token is not right.",
          "invalid_request_error", null, "invalid_admin_token");
      return;
    }
    ctx.next();
  }
}
