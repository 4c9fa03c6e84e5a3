package io.tokenrouter.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by its chromedriver through Selenium, with the flags this
 * machine needs (no sandbox as root, no background network, a fresh profile). Where either
 * program is missing the calling test is skipped on a developer machine and fails when the
 * environment variable {@code CI} is set ({@code .ci/run} installs both), so CI never goes green
 * without the browser tests. Screenshots go to {@code target/console-screenshots/}.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser start() {
    List<Path> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).toList();
    if (!missing.isEmpty()) {
      String why = "browser tests need Debian's chromium and chromium-driver (missing: " + missing
          + "); install them with: apt-get install -y chromium chromium-driver";
      if (TestDatabases.inCi()) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    try {
      Files.createDirectories(SCREENSHOTS);
      Path profile = Files.createTempDirectory("tokenrouter-chromium");
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
          .withLogFile(new File("target/chromedriver.log")).build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1440,1100", "--user-data-dir=" + profile);
      options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits (15 s at most) for a visible element. */
  public WebElement visible(By by) {
    return until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  public WebElement find(By by) {
    return driver.findElement(by);
  }

  public List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  /** Waits for an element to hold the text. */
  public WebElement text(By by, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  public <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition);
  }

  /** Fills an input after clearing it. */
  public void type(By by, String text) {
    WebElement input = visible(by);
    input.clear();
    input.sendKeys(text);
  }

  public void click(By by) {
    until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  /** Saves the whole page (up to 4,000 pixels down) as target/console-screenshots/{name}.png. */
  public Path screenshot(String name) {
    Path to = SCREENSHOTS.resolve(name + ".png");
    Dimension size = driver.manage().window().getSize();
    Object height = driver.executeScript("return document.documentElement.scrollHeight");
    int page = Math.min(4000, ((Number) height).intValue() + 160); // the window is a little taller than the page it shows
    try {
      if (page > size.getHeight()) {
        driver.manage().window().setSize(new Dimension(size.getWidth(), page));
      }
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (page > size.getHeight()) {
        driver.manage().window().setSize(size);
      }
    }
    return to;
  }

  /** What the page wrote to its console since the last call (errors, CSP refusals...). */
  public List<String> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover profile in /tmp is harmless
      }
    }
  }
}
