package io.tokenrouter.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;

/**
 * The web console at {@code /admin/ui/}: static pages and scripts kept in the jar under
 * {@code console/}, and the browser libraries they use from their WebJars under
 * {@code /admin/ui/vendor/<library>/<file>} (the version is the jar's, found by the WebJars
 * locator, so the pages never name it). No token is needed for these files, which hold no data;
 * the pages call the admin API with the token the user signs in with.
 *
 * <p>Files are read from the jar once, on a worker, and kept in memory (a few hundred KB), so
 * nothing is written to disk (the root file system may be read-only). Every answer carries a
 * strict Content-Security-Policy: scripts and styles only from this origin, no inline script, no
 * framing, requests only to this origin.
 */
public final class ConsoleRoutes {
  public static final String PATH = "/admin/ui";
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final String ROOT = "console/";
  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*\\.(html|js|css"
      + "|svg|png|ico)");
  private static final Pattern VENDOR_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*");
  /** The WebJars the console may load files of. */
  private static final Set<String> VENDORS = Set.of("uplot");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png", "ico", "image/x-icon");
  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();
  private final WebJarVersionLocator webJars = new WebJarVersionLocator();

  private record Asset(Buffer body, String type, String etag) {}

  public void mount(Router r) {
    r.get("/").handler(ctx -> redirect(ctx, PATH + "/"));
    // Vert.x matches /admin/ui and /admin/ui/ with one route; the pages' relative links need the slash
    r.get(PATH).handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        serve(ctx, ROOT + "index.html");
      } else {
        redirect(ctx, PATH + "/");
      }
    });
    r.get(PATH + "/vendor/*").handler(this::vendor);
    r.get(PATH + "/*").handler(ctx -> {
      String name = ctx.request().path().substring(PATH.length() + 1);
      if (!ASSET.matcher(name).matches()) {
        notFound(ctx);
        return;
      }
      serve(ctx, ROOT + name);
    });
  }

  private void vendor(RoutingContext ctx) {
    String rest = ctx.request().path().substring((PATH + "/vendor/").length());
    int slash = rest.indexOf('/');
    if (slash < 0 || !VENDORS.contains(rest.substring(0, slash)) || !VENDOR_FILE.matcher(rest).matches()
        || rest.contains("..")) {
      notFound(ctx);
      return;
    }
    String full = webJars.fullPath(rest.substring(0, slash), rest.substring(slash + 1));
    if (full == null) {
      notFound(ctx);
      return;
    }
    serve(ctx, full);
  }

  private void serve(RoutingContext ctx, String resource) {
    Asset cached = loaded.get(resource);
    if (cached != null) {
      answer(ctx, cached);
      return;
    }
    ctx.vertx().executeBlocking(() -> load(resource), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        notFound(ctx);
      } else {
        loaded.put(resource, ar.result().get());
        answer(ctx, ar.result().get());
      }
    });
  }

  private static Optional<Asset> load(String resource) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String extension = resource.substring(resource.lastIndexOf('.') + 1);
      String type = TYPES.getOrDefault(extension, "application/octet-stream");
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
      return Optional.of(new Asset(Buffer.buffer(bytes), type, etag));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource + " from the jar", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Revalidated on every use (no-cache with an ETag): a new jar's console is seen at once, for a 304. */
  private static void answer(RoutingContext ctx, Asset asset) {
    HttpServerResponse response = secure(ctx.response()).putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, asset.type()).end(asset.body());
  }

  private static HttpServerResponse secure(HttpServerResponse response) {
    return response.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer");
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, to).end();
  }

  private static void notFound(RoutingContext ctx) {
    secure(ctx.response()).setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", "The console has no file at "
            + ctx.request().path() + "; open " + PATH + "/.").put("type", "invalid_request_error").putNull("param")
            .put("code", "not_found")).encode());
  }
}
