package org.optline.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.optline.proto.v1.Campaign;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The marketer's console in a real browser (Debian's headless Chromium through chromedriver):
 * sign in with the keyboard, create a campaign with a small uploaded audience, schedule it, watch
 * its progress move, pause and resume, read the report and download it as CSV. Screenshots of the
 * main screens go to {@code target/screenshots/} (the README shows copies of them).
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Long enough for a slow CI machine; a wait ends as soon as its condition holds. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int AUDIENCE = 40;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @TempDir
    static Path temp;

    private static WebDriver browser;
    private static Path downloads;

    @BeforeAll
    static void startTheBrowser() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver, as .ci/run does)");
        downloads = Files.createDirectories(temp.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1366,1000", "--user-data-dir=" + Files.createDirectories(temp.resolve("profile")));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static WebElement id(String id) {
        return browser.findElement(By.id(id));
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).until(condition::apply);
    }

    /** The whole page, not just the laptop-sized window: the window grows to the page for the picture. */
    private static void screenshot(String name) throws IOException {
        Object height = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight;");
        org.openqa.selenium.Dimension laptop = browser.manage().window().getSize();
        int page = Math.min(3_000, Math.max(laptop.getHeight(), ((Number) height).intValue() + 140));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(laptop.getWidth(), page));
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        browser.manage().window().setSize(laptop);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    private static long shown(String figure) {
        return Long.parseLong(id(figure).getText().replace(",", ""));
    }

    /** Moves the fake clock in 100 ms steps, letting the scheduler do what each made due. */
    private static void run(Duration total) {
        CampaignApiTest.run(gateway, total, Duration.ofMillis(100));
    }

    @Test
    void aMarketerRunsACampaignFromTheConsole() throws IOException {
        TestHttp http = gateway.http();
        List<String> rows = new ArrayList<>(List.of("recipient,amount,day"));
        for (int i = 0; i < AUDIENCE; i++) {
            String recipient = Recipients.next();
            http.optIn(recipient, BANK, "MARKETING_CLASS");
            rows.add(recipient + "," + (10 + i) + " EUR,Friday");
        }
        rows.add("+44791,1 EUR,Friday");
        rows.add(rows.get(1));
        Path audience = Files.writeString(temp.resolve("spring-audience.csv"), String.join("\n", rows) + "\n");

        browser.get(http.uri("/console").toString());
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        screenshot("console-sign-in.png");

        // Signed in with the keyboard alone: the page focuses its heading, Tab reaches the key field.
        new Actions(browser).sendKeys(Keys.TAB).sendKeys(BANK_KEY).sendKeys(Keys.ENTER).perform();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("new-campaign")));

        id("new-campaign").click();
        id("c-name").sendKeys("Spring offers");
        id("c-template").sendKeys("balance_alert");
        id("c-pace").clear();
        id("c-pace").sendKeys("5");
        setTime("c-quiet-start", "00:00");
        setTime("c-quiet-end", "00:00");
        id("c-audience").sendKeys(audience.toAbsolutePath().toString());
        screenshot("console-create.png");
        id("create-button").click();

        waitFor(b -> id("detail").isDisplayed() && id("detail-state").getText().equals("DRAFT"));
        // 42 data rows: 40 numbers, one invalid (on line 42, after the header), one repeated.
        assertThat(id("status").getText()).contains("42 rows: 40 added, 1 invalid, 1 duplicate")
                .contains("Invalid lines: 42 (INVALID_RECIPIENT)");
        assertThat(id("status").getText()).doesNotContainPattern("\\+\\d{8,}");

        id("schedule").click();
        waitFor(b -> id("detail-state").getText().equals("SCHEDULED") || id("detail-state").getText().equals("RUNNING"));
        run(Duration.ofSeconds(2));
        waitFor(b -> shown("f-sent") >= 8);
        long first = shown("f-sent");
        run(Duration.ofSeconds(2));
        waitFor(b -> shown("f-sent") > first);
        waitFor(b -> !id("chart").findElements(By.cssSelector("rect")).isEmpty());
        screenshot("console-running.png");

        id("pause").click();
        waitFor(b -> id("detail-state").getText().equals("PAUSED"));
        CampaignRequests api = new CampaignRequests(http, BANK_KEY);
        Campaign paused = firstCampaignNamed(http, "Spring offers");
        run(Duration.ofSeconds(2));
        assertThat(api.get(paused.getCampaignId()).getProgress().getSent()).isEqualTo(paused.getProgress().getSent());
        assertThat(id("resume").isEnabled()).isTrue();
        assertThat(id("pause").isEnabled()).isFalse();

        id("resume").click();
        waitFor(b -> id("detail-state").getText().equals("RUNNING"));
        run(Duration.ofSeconds(8));
        waitFor(b -> id("detail-state").getText().equals("COMPLETED"));
        waitFor(b -> shown("f-accepted") == AUDIENCE);
        screenshot("console-completed.png");
        assertThat(CampaignRequests.count(api.get(paused.getCampaignId()), Reason.ACCEPTED)).isEqualTo(AUDIENCE);

        id("report-open").click();
        waitFor(b -> id("report").isDisplayed() && !id("report-table").findElements(By.cssSelector("tbody tr")).isEmpty());
        assertThat(id("report-summary").getText()).contains("COMPLETED").contains("accepted 40");
        screenshot("console-report.png");
        id("download-csv").click();
        Path csv = downloads.resolve("campaign-" + paused.getCampaignId() + ".csv");
        waitFor(b -> Files.exists(csv));
        assertThat(Files.readString(csv)).startsWith("bucket_start,accepted").contains("total,40,");
    }

    /** A time input takes its value typed digit by digit in Chromium; set it the way a script can. */
    private static void setTime(String field, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).value = arguments[1];",
                field, value);
    }

    private static Campaign firstCampaignNamed(TestHttp http, String name) {
        var list = org.optline.proto.v1.CampaignList.newBuilder();
        try {
            com.google.protobuf.util.JsonFormat.parser().merge(http.get("/v1/campaigns", BANK_KEY).body(), list);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return list.getCampaignsList().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }
}
