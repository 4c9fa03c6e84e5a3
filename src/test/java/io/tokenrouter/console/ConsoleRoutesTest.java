package io.tokenrouter.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's files as the gateway serves them: from the jar without a token, the chart
 * library from its WebJar, a strict Content-Security-Policy on every answer, revalidation by
 * ETag, and nothing outside the console's own files.
 */
class ConsoleRoutesTest {
  private static TestGateway gateway;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        admin: { token: admin-token-for-tests-0123456789 }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: m, targets: [ { provider: mock, model: m } ] } ]
        """);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<String> get(String path, String... headers) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET();
      if (headers.length > 0) {
        b.headers(headers);
      }
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theRootAndTheBarePathLeadToTheConsole() {
    assertThat(get("/").headers().firstValue("location")).hasValue("/admin/ui/");
    assertThat(get("/").statusCode()).isEqualTo(302);
    assertThat(get("/admin/ui").statusCode()).isEqualTo(302);
    assertThat(get("/admin/ui").headers().firstValue("location")).hasValue("/admin/ui/");
  }

  @Test
  void thePageIsServedWithoutATokenUnderAStrictPolicy() {
    HttpResponse<String> page = get("/admin/ui/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<title>TokenRouter console</title>").contains("type=\"module\" src=\"app.js\"");
    String csp = page.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").contains("connect-src 'self'")
        .doesNotContain("unsafe");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
    // the data behind it still needs the token
    assertThat(get("/admin/api-keys").statusCode()).isEqualTo(401);
  }

  @Test
  void scriptsStylesAndTheChartLibraryFromItsWebJar() {
    for (String path : List.of("/admin/ui/app.js", "/admin/ui/pages/keys.js")) {
      HttpResponse<String> js = get(path);
      assertThat(js.statusCode()).as(path).isEqualTo(200);
      assertThat(js.headers().firstValue("content-type")).as(path).hasValue("text/javascript; charset=utf-8");
    }
    assertThat(get("/admin/ui/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    HttpResponse<String> uplot = get("/admin/ui/vendor/uplot/dist/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/admin/ui/vendor/uplot/dist/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnchangedFileIsAnsweredNotModified() {
    String etag = get("/admin/ui/app.js").headers().firstValue("etag").orElseThrow();

    HttpResponse<String> again = get("/admin/ui/app.js", "If-None-Match", etag);

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void nothingButTheConsolesFilesIsServed() {
    for (String path : List.of("/admin/ui/nope.js", "/admin/ui/../application.yaml", "/admin/ui/%2e%2e/logback.xml",
        "/admin/ui/logback.xml", "/admin/ui/vendor/uplot/../../../../logback.xml", "/admin/ui/vendor/other/x.js",
        "/admin/ui/vendor/uplot/package.json/../LICENSE", "/admin/ui/.hidden.js", "/admin/ui/vendor/uplot/nope.js")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 401, 404); // "..": normalised to an admin path, which needs the token
      assertThat(r.body()).as(path).doesNotContain("<configuration").doesNotContain("appender");
    }
    HttpResponse<String> missing = get("/admin/ui/nope.js");
    assertThat(missing.body()).contains("\"code\":\"not_found\"").contains("open /admin/ui/");
  }

  @Test
  void theConsoleIsServedEvenWhereTheAdminApiIsOff() {
    try (TestGateway noAdmin = TestGateway.start("""
        providers: [ { name: mock, type: mock } ]
        models: [ { name: m, targets: [ { provider: mock, model: m } ] } ]
        """)) {
      HttpResponse<String> page;
      HttpResponse<String> info;
      try {
        page = HTTP.send(HttpRequest.newBuilder(noAdmin.uri("/admin/ui/")).build(), HttpResponse.BodyHandlers.ofString());
        info = HTTP.send(HttpRequest.newBuilder(noAdmin.uri("/admin/info")).build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(info.statusCode()).as("the console tells the admin API is off from this 404").isEqualTo(404);
    }
  }
}
