using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// The status page as a person sees it: Debian's headless Chromium, driven by Playwright (no browser download), on a
/// real <c>reportingsync demo</c> process. A screenshot is kept under <see cref="ArtifactsDirectory"/>.
/// </summary>
public sealed partial class StatusPageBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Where screenshots go: REPORTINGSYNC_TEST_ARTIFACTS, else <c>artifacts/</c> next to the test assembly.</summary>
    internal static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("REPORTINGSYNC_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "artifacts");

    [Fact]
    public async Task The_status_page_shows_every_entity_a_progress_bar_while_seeding_and_updates_without_a_reload()
    {
        File.Exists(Chromium).Should().BeTrue("Debian's chromium package must be installed (scripts/prerequisites.sh does it)");
        var clock = Stopwatch.StartNew();
        using var temp = new TempDirectory("reportingsync-page-");
        // 4,000 contacts make about 27,000 rows over seven tables. SQLite loads them in about a second (a CI run found
        // the seed over before the page loaded), so the simulator serves seed pages at 1 s per 1,000 rows, as a distant
        // Dataverse might: every table then seeds for 4 s or more, long enough to watch.
        await using var demo = WorkerProcess.Start("demo", "--rows", "4000", "--rate", "20", "--duration", "120", "--seed-latency", "1000", "--database", temp.File("demo.db"));

        // The browser starts while the demo does: on a loaded machine each takes seconds, and the seed does not wait.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // As root in a sandbox-less container, with no network beyond loopback: no sandbox, no background calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await demo.WaitForOutputAsync("Status page: ", TimeSpan.FromSeconds(60));
        var url = StatusPageLine().Match(demo.Output).Groups[1].Value;
        output.WriteLine($"status page at {url} after {clock.Elapsed.TotalSeconds:F1} s");
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 520 } });
        var loads = 0;
        page.Load += (_, _) => loads++;
        await page.GotoAsync(url);

        // One row per demo table, each with a coloured state and a progress bar.
        var rows = page.Locator("#entities tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(7, new LocatorAssertionsToHaveCountOptions { Timeout = 20_000 });
        (await page.Locator("#entities tbody tr[data-entity='contact'] .state").CountAsync()).Should().Be(1);

        // While seeding: a table whose bar is part-way (Dataverse's row-count estimate against rows committed).
        var seedingBar = page.Locator("tr[data-status='Seeding'] [role=progressbar]");
        await Assertions.Expect(seedingBar.First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        var during = await seedingBar.First.GetAttributeAsync("aria-valuenow");
        output.WriteLine($"a seeding bar at {during}% after {clock.Elapsed.TotalSeconds:F1} s");

        // For the screenshot, a bar part-way if one shows up within a few seconds (tables of two or more pages).
        var partWay = page.Locator("tr[data-status='Seeding'] [role=progressbar][aria-valuenow]:not([aria-valuenow='0.0'])");
        for (var i = 0; i < 40 && await partWay.CountAsync() == 0; i++)
        {
            await Task.Delay(100);
        }

        if (await partWay.CountAsync() > 0)
        {
            output.WriteLine($"a seeding bar part-way at {await partWay.First.GetAttributeAsync("aria-valuenow")}% after {clock.Elapsed.TotalSeconds:F1} s");
        }

        Directory.CreateDirectory(ArtifactsDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, "status-page-seeding.png"), FullPage = true });

        // Without a reload, the page follows the seed to its end: every row streaming, every bar full. (The demo streams
        // for two minutes after its seed, so it is still serving; the generous wait is for a machine busy with the
        // whole suite, where this seed has been seen to take over a minute.)
        var refreshesBefore = int.Parse(await page.Locator("#refreshes").InnerTextAsync());
        await Assertions.Expect(page.Locator("tr[data-status='Streaming']")).ToHaveCountAsync(7, new LocatorAssertionsToHaveCountOptions { Timeout = 150_000 });
        await Assertions.Expect(page.Locator("[role=progressbar][data-complete='true']")).ToHaveCountAsync(7);
        var refreshesAfter = int.Parse(await page.Locator("#refreshes").InnerTextAsync());
        refreshesAfter.Should().BeGreaterThan(refreshesBefore);
        loads.Should().Be(1, "the page updates itself by fetching /status, never by reloading");

        // Streaming changes draw the lag sparkline.
        await Assertions.Expect(page.Locator("svg.spark circle").First).ToBeAttachedAsync(new LocatorAssertionsToBeAttachedOptions { Timeout = 20_000 });
        var screenshot = Path.Combine(ArtifactsDirectory, "status-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshots in {ArtifactsDirectory}; test took {clock.Elapsed.TotalSeconds:F1} s");

        // No key configured: the re-seed buttons are shown but off.
        (await page.Locator("button[data-action=reseed]:disabled").CountAsync()).Should().Be(7);
    }

    [GeneratedRegex(@"Status page: (http://\S+)")]
    private static partial Regex StatusPageLine();
}
