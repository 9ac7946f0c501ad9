package org.perpcore.perf.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Headless Chromium for the report tests: renders a local page (no network) and returns its DOM after scripts. */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** Skips the calling test, saying why, when there is no Chromium on this machine. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "headless Chromium not installed at " + BINARY
            + " (apt-get install chromium): the HTML report is not rendered");
    }

    static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    static String screenshot(Path page, Path png) throws IOException, InterruptedException {
        return run(page, "--screenshot=" + png, "--window-size=1000,2400");
    }

    private static String run(Path page, String... what) throws IOException, InterruptedException {
        final Path profile = Files.createTempDirectory("perpcore-chromium-");
        try {
            final List<String> cmd = new java.util.ArrayList<>(List.of(BINARY.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
            cmd.addAll(List.of(what));
            cmd.add(page.toUri().toString());
            final Path log = profile.resolve("stderr.log");
            final Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
