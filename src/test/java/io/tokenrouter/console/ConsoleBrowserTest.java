package io.tokenrouter.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.Browser;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in headless Chromium against a real gateway with the mock provider: sign in (a
 * wrong token told in words), create a key and see its value once, see it listed, change its
 * limits, disable and enable it, send a request with it, find that request and its cost in the
 * requests log, the usage explorer and the overview's charts, revoke the key; disable a provider
 * (the next request is refused) and enable it again, change a price; and every page renders without a script error or a Content-Security-Policy refusal. Screenshots of each step
 * are kept in target/console-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String TOKEN = "console-admin-token-0123456789";
  private static TestGateway gateway;
  private static Browser browser;
  private static String base;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    gateway = TestGateway.start("""
        admin: { token: %s }
        usage: { flush_interval: 20ms }
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: gpt-4o-mini, targets: [ { provider: mock, model: gpt-4o-mini } ] }
        """.formatted(TOKEN));
    base = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private static void page(String hash, String heading) {
    browser.open(base + "/admin/ui/#/" + hash);
    browser.text(By.cssSelector("#page h1"), heading);
    browser.until(d -> "false".equals(d.findElement(By.cssSelector(".page")).getAttribute("aria-busy")));
  }

  /** The console's money format: to the cent from a cent up, two significant digits below. */
  static String usd(BigDecimal v) {
    if (v.signum() == 0) {
      return "$0.00";
    }
    if (v.abs().compareTo(new BigDecimal("0.01")) >= 0) {
      return "$" + String.format("%,.2f", v);
    }
    int decimals = Math.min(10, 1 - (int) Math.floor(Math.log10(v.abs().doubleValue())));
    BigDecimal rounded = v.setScale(decimals, RoundingMode.HALF_UP);
    return rounded.compareTo(new BigDecimal("0.01")) >= 0 ? usd(rounded) : "$" + rounded.toPlainString();
  }

  private static List<String> problems() {
    return browser.consoleMessages().stream()
        .filter(m -> m.contains("SEVERE") || m.contains("Content Security Policy") || m.contains("Uncaught"))
        // a refused token or a missing health endpoint is a 401/404 answer the page handles
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedInWordsAndTheRightOneSignsIn() {
    browser.open(base + "/admin/ui");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/admin/ui/");
    browser.visible(By.id("token"));
    browser.screenshot("01-sign-in");

    browser.type(By.id("token"), "not-the-token");
    browser.click(By.id("signin-button"));
    WebElement error = browser.text(By.id("signin-error"), "not this gateway's admin token");
    assertThat(error.isDisplayed()).isTrue();
    assertThat(browser.find(By.id("nav")).isDisplayed()).isFalse();
    browser.screenshot("02-wrong-token");

    browser.type(By.id("token"), TOKEN);
    browser.click(By.id("signin-button"));
    browser.text(By.cssSelector("#page h1"), "Overview");
    assertThat(browser.find(By.id("nav")).isDisplayed()).isTrue();
    assertThat(browser.find(By.id("gateway-info")).getText()).startsWith("dev mode");
    browser.visible(By.id("kpi-cost"));
    assertThat(browser.find(By.cssSelector("#chart-cost .chart-empty")).getText())
        .isEqualTo("Nothing recorded in this range yet.");
    browser.screenshot("03-overview-empty");
    assertThat(problems()).isEmpty();
  }

  @Test
  @Order(2)
  void aKeyIsCreatedShownOnceListedChangedUsedSeenInUsageAndRevoked() {
    page("keys", "Keys");
    assertThat(browser.find(By.id("key-list")).getText()).contains("No keys yet");
    browser.click(By.id("create-key"));
    browser.type(By.id("create-key-form-name"), "browser-test");
    browser.type(By.id("create-key-form-project_id"), "web");
    browser.type(By.id("create-key-form-allowed_models"), "gpt-4o-mini");
    browser.type(By.id("create-key-form-daily_budget"), "5usd");
    browser.click(By.id("create-key-form-submit"));
    // the API's refusal is shown in its words, on the field it names
    browser.text(By.cssSelector("#create-key-form .notice.error"), "daily_budget");
    assertThat(browser.find(By.id("create-key-form-daily_budget")).getAttribute("aria-invalid")).isEqualTo("true");
    browser.type(By.id("create-key-form-daily_budget"), "5");
    browser.click(By.id("create-key-form-submit"));

    String raw = browser.visible(By.id("raw-key")).getText();
    assertThat(raw).startsWith("tr-");
    assertThat(browser.find(By.id("raw-key-box")).getText()).contains("shown only this once");
    WebElement row = browser.text(By.id("keys-table"), "browser-test");
    assertThat(row.getText()).contains("active").contains("web").contains("$5.00/day").doesNotContain(raw);
    browser.screenshot("04-key-created");

    browser.click(By.id("hide-key"));
    browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("raw-key")));
    assertThat(browser.driver().getPageSource()).doesNotContain(raw);
    browser.driver().navigate().refresh(); // still signed in (the tab's session), and the key is gone for good
    browser.text(By.id("keys-table"), "browser-test");
    assertThat(browser.driver().getPageSource()).doesNotContain(raw);
    browser.screenshot("05-keys-listed");

    // limits changed, then disabled and enabled again
    browser.click(By.cssSelector("button[aria-label='Edit key browser-test']"));
    browser.type(By.id("edit-key-form-rpm_limit"), "60");
    browser.click(By.id("edit-key-form-submit"));
    browser.text(By.id("key-panel"), "was changed");
    browser.text(By.id("keys-table"), "60 req/min");
    browser.click(By.cssSelector("button[aria-label='Disable key browser-test']"));
    browser.text(By.cssSelector("#keys-table td[data-col='status']"), "disabled");
    assertThat(chat(raw)).isEqualTo(401);
    browser.click(By.cssSelector("button[aria-label='Enable key browser-test']"));
    browser.text(By.cssSelector("#keys-table td[data-col='status']"), "active");

    // a request with it, through the gateway to the mock provider, and one for a model nobody serves
    assertThat(chat(raw)).isEqualTo(200);
    assertThat(chat(raw, "no-such-model")).isEqualTo(404);
    gateway.awaitRecords(2);
    AdminCalls admin = new AdminCalls(gateway, TOKEN);
    String keyId = gateway.keyId(raw).toString();
    JsonObject recorded = admin.get("/admin/requests?key_id=" + keyId + "&status=200").json().getJsonArray("data")
        .getJsonObject(0);
    BigDecimal cost = new BigDecimal(recorded.getValue("cost_usd").toString());
    assertThat(cost).isPositive();
    String money = usd(cost);

    page("requests", "Requests");
    WebElement log = browser.text(By.id("requests-table"), "browser-test");
    WebElement served = log.findElement(By.xpath(".//tbody/tr[td[@data-col='status'][normalize-space()='200']]"));
    assertThat(served.findElement(By.cssSelector("td[data-col='cost']")).getText()).isEqualTo(money);
    assertThat(served.findElement(By.cssSelector("td[data-col='model']")).getText()).isEqualTo("gpt-4o-mini");
    assertThat(served.findElement(By.cssSelector("td[data-col='input']")).getText())
        .isEqualTo(recorded.getInteger("prompt_tokens").toString());
    WebElement refused = log.findElement(By.cssSelector("tbody tr")); // newest first
    assertThat(refused.findElement(By.cssSelector("td[data-col='status']")).getText()).startsWith("404");
    assertThat(refused.findElement(By.cssSelector("td[data-col='cost']")).getText()).isEqualTo("$0.00");
    assertThat(log.findElements(By.cssSelector("tbody tr"))).hasSize(2); // and the refused one, 404
    browser.screenshot("06-requests");

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    page("usage?group_by=day&key_id=" + keyId, "Usage");
    WebElement usage = browser.text(By.id("usage-table"), today);
    assertThat(usage.findElement(By.cssSelector("tbody tr td[data-col='cost']")).getText()).isEqualTo(money);
    assertThat(browser.find(By.id("usage-summary")).getText()).contains("1 request,").contains("cost " + money)
        .contains("1 of 2 answers were errors");
    assertThat(browser.all(By.cssSelector("#usage-chart-cost canvas"))).isNotEmpty();
    assertThat(browser.find(By.id("status-table")).getText()).contains("200").contains("404");
    browser.screenshot("07-usage");

    page("overview", "Overview");
    assertThat(browser.text(By.id("kpi-cost"), money).getText()).contains(money);
    assertThat(browser.find(By.cssSelector("#kpi-requests strong")).getText()).isEqualTo("2");
    assertThat(browser.find(By.cssSelector("#kpi-errors strong")).getText()).isEqualTo("50.0%");
    assertThat(browser.all(By.cssSelector("#chart-cost canvas"))).isNotEmpty();
    assertThat(browser.all(By.cssSelector("#chart-cost-model canvas"))).isNotEmpty();
    browser.screenshot("08-overview");
    browser.click(By.cssSelector("#chart-cost-model summary"));
    WebElement byModelData = browser.visible(By.cssSelector("#chart-cost-model details table"));
    assertThat(byModelData.getText()).contains("gpt-4o-mini").contains(today + " " + money);
    assertThat(browser.find(By.cssSelector("#top-model td[data-col='cost']")).getText()).isEqualTo(money);
    browser.screenshot("08-overview-charts");

    page("keys", "Keys");
    browser.click(By.cssSelector("button[aria-label='Revoke key browser-test']"));
    browser.until(ExpectedConditions.alertIsPresent()).accept();
    browser.text(By.id("key-panel"), "is revoked");
    browser.text(By.cssSelector("#keys-table td[data-col='status']"), "revoked");
    assertThat(browser.all(By.cssSelector("button[aria-label='Revoke key browser-test']"))).isEmpty();
    browser.screenshot("09-key-revoked");
    assertThat(chat(raw)).isEqualTo(401);
    assertThat(problems()).isEmpty();
  }

  @Test
  @Order(3)
  void everyOtherPageRendersAUserIsCreatedAProviderDisabledAndAPriceChanged() {
    page("users", "Users and plans");
    browser.text(By.id("plans-table"), "enterprise");
    browser.click(By.id("create-user"));
    browser.type(By.id("create-user-form-email"), "ada@example.com");
    browser.type(By.id("create-user-form-monthly_budget"), "100");
    browser.click(By.id("create-user-form-submit"));
    browser.text(By.id("users-table"), "ada@example.com");
    browser.screenshot("10-users");

    page("providers", "Providers");
    browser.text(By.id("providers-table"), "mock");
    assertThat(browser.find(By.id("provider-health")).getText()).isNotBlank();
    browser.click(By.cssSelector("[aria-label='Disable provider mock']"));
    browser.text(By.id("provider-panel"), "is disabled");
    browser.text(By.cssSelector("#providers-table td[data-col=status]"), "disabled");
    assertThat(chat(gateway.createKey())).as("its only provider is disabled").isEqualTo(503);
    browser.screenshot("11-providers");
    browser.click(By.cssSelector("[aria-label='Enable provider mock']"));
    browser.text(By.id("provider-panel"), "enabled again");

    page("models", "Model mappings");
    browser.text(By.id("models-table"), "gpt-4o-mini");
    browser.screenshot("12-models");

    page("pricing", "Pricing");
    browser.text(By.id("pricing-table"), "claude-sonnet-4-5-20250929");
    browser.type(By.id("price-filter"), "gpt-4o-mini");
    browser.until(d -> d.findElements(By.cssSelector("#pricing-table tbody tr")).size() == 1);
    assertThat(browser.find(By.cssSelector("#pricing-table tbody tr")).getText()).contains("$0.15").contains("$0.60");
    browser.click(By.cssSelector("[aria-label='Edit the price of gpt-4o-mini']"));
    browser.type(By.id("edit-price-form-input_per_million"), "0.2");
    browser.click(By.id("edit-price-form-submit"));
    browser.text(By.id("price-panel"), "was changed");
    browser.type(By.id("price-filter"), "gpt-4o-mini");
    browser.until(d -> d.findElement(By.cssSelector("#pricing-table tbody tr")).getText().contains("$0.20"));
    browser.screenshot("13-pricing");

    browser.click(By.id("sign-out"));
    browser.visible(By.id("token"));
    browser.open(base + "/admin/ui/#/keys"); // signed out stays signed out
    browser.visible(By.id("token"));
    assertThat(problems()).isEmpty();
  }

  private static int chat(String key) {
    return chat(key, "gpt-4o-mini");
  }

  private static int chat(String key, String model) {
    return gateway.post("/v1/chat/completions", key, "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello from the console test\"}]}").statusCode();
  }
}
