package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.cluster.LocalClusterEvents;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /admin/openapi.json} describes every admin route that is mounted, and is served without the token. */
class OpenApiTest {
  @Test
  void everyMountedAdminRouteIsDescribed() {
    TestDatabase db = TestDatabases.h2();
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      new AdminRoutes("t", "admin", db.dataSource(), new LocalClusterEvents(), new ConfigLoader(Map.of()).loadDemo(),
          Clock.systemUTC()).mount(router);
      JsonObject paths = new OpenApiResource().document().getJsonObject("paths");

      List<String> mounted = new ArrayList<>();
      for (Route route : router.getRoutes()) {
        if (route.methods() == null || route.methods().isEmpty()) {
          continue; // the token check and body parsing for every /admin path
        }
        // a regex route (a name that may hold '/') is described with its named group as the parameter
        String path = route.getPath() != null ? route.getPath().replaceAll(":(\\w+)", "{$1}")
            : route.getName().replaceAll("\\(\\?<(\\w+)>\\.\\+\\)", "{$1}");
        for (HttpMethod method : route.methods()) {
          mounted.add(method.name().toLowerCase(Locale.ROOT) + " " + path);
        }
      }

      assertThat(mounted).hasSizeGreaterThan(15);
      for (String m : mounted) {
        String[] parts = m.split(" ");
        assertThat(paths.getJsonObject(parts[1])).as(m).isNotNull();
        assertThat(paths.getJsonObject(parts[1]).getJsonObject(parts[0])).as(m).isNotNull();
      }
    } finally {
      vertx.close();
      db.drop();
    }
  }

  @Test
  void theDescriptionIsServedWithoutTheToken() {
    try (TestGateway gateway = TestGateway.start("""
        admin: { token: admin-token-for-tests-0123456789 }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: m, targets: [ { provider: mock, model: m } ] } ]
        """)) {
      AdminCalls.Answer a = new AdminCalls(gateway, null).get("/admin/openapi.json");

      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json().getString("openapi")).startsWith("3.");
      assertThat(a.json().getJsonObject("paths").fieldNames()).contains("/admin/api-keys", "/admin/usage");
    }
  }
}
