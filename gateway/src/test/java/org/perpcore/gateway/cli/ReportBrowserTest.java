package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small demo's report opened in headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs):
 * a screenshot is taken, and the DOM after the page's script ran shows every chart with content and no script
 * error in the console. Skipped, saying why, where Chromium is absent.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    private List<String> chromium(String... extra) {
        final List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + tmp.resolve("profile"),
            "--window-size=1400,2400", "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        final Path out = tmp.resolve("stdout-" + System.nanoTime());
        final Path err = tmp.resolve("stderr-" + System.nanoTime());
        final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReportRendersInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no Chromium at " + CHROMIUM
            + " (Debian's chromium package; .ci/run installs it)");
        final Path report = SmallCascade.get().run.resolve("report.html");
        final String url = report.toUri().toString();

        final Path png = tmp.resolve("report.png");
        final Result shot = run(chromium("--screenshot=" + png, url));
        assertEquals(0, shot.status(), shot::stderr);
        final byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 20_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G',
            "a PNG screenshot of some size: " + image.length + " bytes");

        final Result dom = run(chromium("--dump-dom", url));
        assertEquals(0, dom.status(), dom::stderr);
        final String html = dom.stdout();
        final Matcher root = Pattern.compile("<html[^>]*>").matcher(html);
        assertTrue(root.find(), "a DOM was dumped");
        final String tag = root.group();
        assertTrue(tag.contains("data-report=\"ready\""), "the page's script ran to its end: " + tag);
        assertTrue(tag.contains("data-empty=\"\""), "no chart without content: " + tag);
        final Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(tag);
        assertTrue(charts.find() && Integer.parseInt(charts.group(1)) == 8, "eight charts: " + tag);
        final Matcher svg = Pattern.compile("<svg[^>]*class=\"chart\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(html);
        int rendered = 0;
        while (svg.find()) {
            assertTrue(svg.group(1).contains("<polyline") || svg.group(1).contains("<rect"),
                "every chart draws something");
            rendered++;
        }
        assertEquals(8, rendered, "eight SVG charts in the rendered DOM");
        for (String stderr : List.of(shot.stderr(), dom.stderr())) {
            for (String line : stderr.lines().toList()) {
                assertFalse(line.contains("CONSOLE") && (line.contains("Uncaught") || line.contains("Error")),
                    "no script error: " + line);
                assertFalse(line.contains("net::ERR_") && !line.contains("dbus"), "no network request: " + line);
            }
        }
    }
}
