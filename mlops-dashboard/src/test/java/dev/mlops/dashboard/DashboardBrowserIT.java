package dev.mlops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.drift.MonitorResult;
import java.io.File;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Drives Debian's chromium through Selenium over a dashboard of real components ({@link RealComponents}): opens the
 * printed URL (the token becomes a cookie), checks that every page shows its data, that hostile names are shown as
 * text, that no token means 401, and saves a screenshot of every page in {@code target/dashboard-screenshots/}.
 *
 * <p>The expected figures come from the components' own APIs and from what the test did (requests it sent and the
 * versions the server said answered them, feedback it recorded, prices it set), never from the dashboard.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @TempDir
    Path dir;

    private static WebDriver chromium(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the browser test needs Debian's chromium at " + CHROMIUM + " and its driver at "
                    + CHROMEDRIVER + ". Fix: apt-get install chromium chromium-driver");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1600");
        return new ChromeDriver(service, options);
    }

    private static String text(WebDriver driver, String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static List<WebElement> all(WebDriver driver, String css) {
        return driver.findElements(By.cssSelector(css));
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void everyPage_rendersTheDataOfRealComponents_inChromium() throws Exception {
        try (RealComponents c = new RealComponents(dir.resolve("home"));
             Dashboard dashboard = c.dashboard().start()) {
            // no token: 401, for a program and for the browser
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    dashboard.baseUri().resolve("/registry")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            WebDriver driver = chromium(Files.createDirectories(dir.resolve("chromium-profile")));
            try {
                driver.get(dashboard.baseUri().resolve("/flows").toString());
                assertThat(driver.getTitle()).isEqualTo("401 Unauthorized");

                // the printed URL: the token is exchanged for a cookie and leaves the address bar
                driver.get(dashboard.uri().toString());
                assertThat(driver.getCurrentUrl()).isEqualTo(dashboard.baseUri().toString());
                assertThat(driver.getCurrentUrl()).doesNotContain("token");
                assertThat(text(driver, "h1")).isEqualTo("MLOps dashboard");
                assertThat(all(driver, "nav a")).hasSize(7);
                screenshot(driver, "overview");

                flows(driver, dashboard, c);
                registry(driver, dashboard, c);
                serving(driver, dashboard, c);
                drift(driver, dashboard, c);
                rag(driver, dashboard);
                features(driver, dashboard, c);

                // without the cookie the browser is refused again
                driver.manage().deleteAllCookies();
                driver.get(dashboard.baseUri().resolve("/serving").toString());
                assertThat(driver.getTitle()).isEqualTo("401 Unauthorized");
                assertThat(driver.findElement(By.tagName("body")).getText()).contains("needs its token");
            } finally {
                driver.quit();
            }
        }
    }

    private static void open(WebDriver driver, Dashboard dashboard, String path) {
        driver.get(dashboard.baseUri().resolve(path).toString());
        assertThat(driver.findElement(By.id("page")).getAttribute("data-page")).isEqualTo(path);
        // nothing hostile ran: the page has no script element at all
        assertThat(all(driver, "script")).isEmpty();
    }

    private static void flows(WebDriver driver, Dashboard dashboard, RealComponents c) throws Exception {
        open(driver, dashboard, "/flows");
        List<WebElement> runs = all(driver, "#flow-runs tbody tr");
        long triggered = c.windows.stream().filter(MonitorResult::triggered).count();
        assertThat(triggered).isEqualTo(1);
        assertThat(runs).hasSize(3); // two training runs and the retraining the drift monitor fired
        assertThat(text(driver, "#flow-summary")).contains("train-model").contains("retrain-model");
        // the training flow's tasks moved the test clock by 3 + 12 s: its successful run lasted 15 s
        assertThat(text(driver, "#flow-summary")).contains("15.0 s");
        assertThat(text(driver, "#flow-failures")).contains("fit").contains("solver diverged on "
                + RealComponents.HOSTILE);
        assertThat(all(driver, "svg[data-chart='flow-durations'] rect.bar")).hasSize(3);
        assertThat(all(driver, "svg[data-chart='flow-durations'] rect.bar.bad")).hasSize(1);
        screenshot(driver, "flows");
    }

    private static void registry(WebDriver driver, Dashboard dashboard, RealComponents c) throws Exception {
        open(driver, dashboard, "/registry");
        assertThat(text(driver, "#models")).contains(RealComponents.MODEL).contains("@champion \u2192 v2");
        String versions = text(driver, "table.versions");
        assertThat(versions).contains("v1").contains("v2").contains("0.88").contains("0.97").contains("0.95")
                .contains("baseline " + RealComponents.HOSTILE);
        assertThat(all(driver, "svg[data-chart='metrics-iris-like'] rect.bar")).hasSize(4); // 2 metrics x 2 versions
        List<WebElement> moves = all(driver, "table.alias-history tbody tr");
        assertThat(moves).hasSize(c.registry.aliasHistory(RealComponents.MODEL, "champion").size()).hasSize(2);
        assertThat(text(driver, "table.alias-history")).contains("first champion " + RealComponents.HOSTILE)
                .contains("retrained wins");
        assertThat(all(driver, "#runs tbody tr")).hasSize(2);
        screenshot(driver, "registry");
    }

    private static void serving(WebDriver driver, Dashboard dashboard, RealComponents c) throws Exception {
        open(driver, dashboard, "/serving");
        long v1 = c.servedVersions.stream().filter("1"::equals).count();
        long v2 = c.servedVersions.stream().filter("2"::equals).count();
        assertThat(v1 + v2).isEqualTo(RealComponents.WINDOWS * RealComponents.PER_WINDOW);
        assertThat(text(driver, ".serving-model h2")).contains(c.servedVersions.size() + " requests");
        List<WebElement> rows = all(driver, "table.traffic tbody tr");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).startsWith("v1 " + v1 + " ");
        assertThat(rows.get(1).getText()).startsWith("v2 " + v2 + " ");
        assertThat(all(driver, "svg[data-chart='traffic-iris-like'] rect.bar")).isNotEmpty();
        // the live timers of the server: one per version that answered
        assertThat(all(driver, "#serving-meters tbody tr")).hasSize(2);
        screenshot(driver, "serving");
    }

    private static void drift(WebDriver driver, Dashboard dashboard, RealComponents c) throws Exception {
        open(driver, dashboard, "/drift");
        long drifting = c.windows.stream().filter(MonitorResult::drift).count();
        assertThat(drifting).isPositive();
        assertThat(driver.findElement(By.cssSelector(".monitor p")).getText()).isEqualTo(c.windows.size()
                + " windows checked, " + drifting + " drifting, 1 triggered retraining.");
        assertThat(all(driver, ".monitor table.windows tbody tr")).hasSize(c.windows.size());
        assertThat(all(driver, "svg[data-chart='drift-windows-1'] rect.bar.alert")).hasSize(1);
        // the latest window's report: one row and one histogram per reference column
        assertThat(all(driver, ".monitor table.columns tbody tr")).extracting(e -> e.findElement(By.tagName("td"))
                .getText()).containsExactly("x1", "x2");
        assertThat(all(driver, ".monitor figure svg")).hasSize(2);
        assertThat(all(driver, ".monitor figure figcaption")).extracting(WebElement::getText)
                .containsExactly("x1 (drift)", "x2");
        screenshot(driver, "drift");
    }

    private static void rag(WebDriver driver, Dashboard dashboard) throws Exception {
        open(driver, dashboard, "/rag");
        assertThat(text(driver, "#rag-feedback-summary")).startsWith("2 up, 1 down");
        assertThat(text(driver, "#rag-feedback")).contains(RealComponents.HOSTILE).contains("clear and sourced");
        // 4 lookups: 2 misses, 2 exact hits
        assertThat(text(driver, "#rag-cache tbody")).isEqualTo("2 0 2 50 % 1");
        // 200,000 input tokens at 0.20 per million + 50,000 output tokens at 0.80 per million = 0.04 + 0.04
        assertThat(new BigDecimal(all(driver, "#rag-cost tbody tr").get(1).findElements(By.tagName("td")).get(4)
                .getText())).isEqualByComparingTo("0.08");
        assertThat(text(driver, "#rag-eval")).contains("bm25").contains("hybrid " + RealComponents.HOSTILE);
        assertThat(all(driver, "svg[data-chart='rag-eval'] rect.bar")).isNotEmpty();
        screenshot(driver, "rag");
    }

    private static void features(WebDriver driver, Dashboard dashboard, RealComponents c) throws Exception {
        open(driver, dashboard, "/features");
        Duration age = c.features.freshness("weather");
        List<WebElement> rows = all(driver, "#feature-freshness tbody tr");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).startsWith("weather ").contains(age.toMinutes() + " min")
                .endsWith(age.compareTo(Duration.ofHours(1)) > 0 ? "STALE" : "FRESH");
        assertThat(text(driver, "#feature-reads tbody")).contains("view=weather").contains(" 200 ");
        screenshot(driver, "features");
    }
}
