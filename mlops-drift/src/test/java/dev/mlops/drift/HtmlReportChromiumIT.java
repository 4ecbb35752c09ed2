package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Renders a real drift report (four numeric and three categorical columns, some drifted) in Debian's headless
 * {@code chromium} through {@code chromedriver}, and checks what a reader sees: the summary, one visible table row
 * per column (name, test, verdict as the report computed them), and per column a visible section whose inline SVG
 * histogram has a non-empty layout box and one reference and one current bar per bin. Writes a full-page
 * screenshot to {@code target/drift-report.png} (the one in {@code docs/drift-report.png} is a copy of it).
 *
 * <p>Selenium Manager never runs: the driver binary is given explicitly, so nothing is downloaded. A machine
 * without the browser fails this test with the command that installs it.
 */
class HtmlReportChromiumIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    void chromium_showsEveryColumnRowAndHistogram() throws IOException {
        assertThat(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute())
                .as("headless Chromium is needed to render the drift report: %s and %s must exist; "
                        + "install them with: sudo apt-get install chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
                .isTrue();

        DriftReport report = report();
        Path page = tmp.resolve("drift-report.html");
        Files.writeString(page, report.toHtml(), StandardCharsets.UTF_8);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectory(tmp.resolve("profile")),
                "--window-size=1000,800", "--hide-scrollbars");
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(page.toUri().toString());
            assertThat(driver.getTitle()).isEqualTo("Drift report");
            WebElement summary = driver.findElement(By.cssSelector("p.summary"));
            assertThat(summary.isDisplayed()).isTrue();
            assertThat(summary.getText()).contains(report.driftedColumns() + " of " + report.columns().size() + " columns drifted");

            List<WebElement> rows = driver.findElements(By.cssSelector("table tbody tr"));
            assertThat(rows).hasSize(report.columns().size());
            List<WebElement> sections = driver.findElements(By.cssSelector("section"));
            assertThat(sections).hasSize(report.columns().size());
            int i = 0;
            for (ColumnDrift c : report.columns().values()) {
                WebElement row = rows.get(i);
                assertThat(row.isDisplayed()).as("table row of %s", c.column()).isTrue();
                List<WebElement> cells = row.findElements(By.tagName("td"));
                assertThat(cells.get(0).getText()).isEqualTo(c.column());
                assertThat(cells.get(1).getText()).isEqualTo(c.kind().id());
                assertThat(cells.get(2).getText()).isEqualTo(c.test().id());
                assertThat(cells.get(cells.size() - 1).getText()).isEqualTo(c.drift() ? "drift" : "ok");

                WebElement section = sections.get(i);
                assertThat(section.findElement(By.tagName("h2")).getText()).isEqualTo(c.column());
                WebElement svg = section.findElement(By.tagName("svg"));
                assertThat(svg.isDisplayed()).as("histogram of %s", c.column()).isTrue();
                assertThat(svg.getSize().getWidth()).as("rendered width of %s's histogram", c.column()).isGreaterThan(100);
                assertThat(svg.getSize().getHeight()).as("rendered height of %s's histogram", c.column()).isGreaterThan(50);
                int bins = c.histogram().labels().size();
                // two legend squares, then a reference and a current bar per bin
                assertThat(svg.findElements(By.tagName("rect"))).as("bars of %s", c.column()).hasSize(2 + 2 * bins);
                i++;
            }
            // the drawn bars have their layout size: at least one bar of every histogram is taller than a pixel
            Object tallBars = ((JavascriptExecutor) driver).executeScript(
                    "return Array.from(document.querySelectorAll('section svg'))"
                            + ".filter(s => Array.from(s.querySelectorAll('rect')).slice(2)"
                            + ".some(r => r.getBoundingClientRect().height > 1)).length");
            assertThat(((Number) tallBars).intValue()).isEqualTo(report.columns().size());

            long height = ((Number) ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollHeight")).longValue();
            driver.manage().window().setSize(new Dimension(1000, (int) Math.min(height + 200, 8000)));
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path out = Path.of("target", "drift-report.png");
            Files.createDirectories(out.getParent());
            Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
            byte[] png = Files.readAllBytes(out);
            assertThat(png.length).isGreaterThan(10_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        } finally {
            driver.quit();
        }
    }

    /** Four numeric and three categorical columns, 2,000 reference and 1,500 current rows; some drift. */
    static DriftReport report() {
        Random r = new Random(20261127L);
        int n = 2000;
        int m = 1500;
        double[] age = new double[n];
        double[] ageC = new double[m];
        double[] income = new double[n];
        double[] incomeC = new double[m];
        double[] score = new double[n];
        double[] scoreC = new double[m];
        long[] visits = new long[n];
        long[] visitsC = new long[m];
        String[] plan = new String[n];
        String[] planC = new String[m];
        String[] region = new String[n];
        String[] regionC = new String[m];
        String[] device = new String[n];
        String[] deviceC = new String[m];
        String[] plans = {"free", "basic", "pro", "team"};
        String[] regions = {"north", "south", "east", "west", "centre"};
        for (int i = 0; i < n; i++) {
            age[i] = 40 + 12 * r.nextGaussian();
            income[i] = Math.exp(10 + 0.5 * r.nextGaussian());
            score[i] = r.nextDouble();
            visits[i] = (long) (-Math.log(1 - r.nextDouble()) * 3);
            plan[i] = plans[Math.min(3, (int) (-Math.log(1 - r.nextDouble()) * 1.2))];
            region[i] = regions[r.nextInt(5)];
            device[i] = r.nextDouble() < 0.6 ? "mobile" : "desktop";
        }
        for (int i = 0; i < m; i++) {
            ageC[i] = 46 + 12 * r.nextGaussian();                      // shifted by half a standard deviation
            incomeC[i] = Math.exp(10 + 0.5 * r.nextGaussian());
            scoreC[i] = Math.pow(r.nextDouble(), 1.6);                 // skewed towards 0
            visitsC[i] = (long) (-Math.log(1 - r.nextDouble()) * 3);
            planC[i] = plans[Math.min(3, (int) (-Math.log(1 - r.nextDouble()) * 2.0))]; // more paying plans
            regionC[i] = regions[r.nextInt(5)];
            deviceC[i] = r.nextDouble() < 0.6 ? "mobile" : "desktop";
        }
        Table ref = Table.of(DoubleColumn.of("age", age), DoubleColumn.of("income", income), DoubleColumn.of("score", score),
                LongColumn.of("visits", visits), StringColumn.of("plan", plan), StringColumn.of("region", region),
                StringColumn.of("device", device));
        Table cur = Table.of(DoubleColumn.of("age", ageC), DoubleColumn.of("income", incomeC), DoubleColumn.of("score", scoreC),
                LongColumn.of("visits", visitsC), StringColumn.of("plan", planC), StringColumn.of("region", regionC),
                StringColumn.of("device", deviceC));
        return DriftDetector.builder().test("age", StatTest.KS).test("plan", StatTest.CHISQUARE)
                .correction(Correction.BENJAMINI_HOCHBERG).build().compare(ref, cur);
    }
}
