package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * System test of the launcher {@code bin/perpcore}: runs it as a process, as a user would, against the shaded jar
 * that {@code package} built. Run by Maven failsafe ({@code mvn verify}), which sets {@code PERPCORE_NO_BUILD=1};
 * the test sets it again for each process so that the launcher never starts a build of its own.
 *
 * <p>Each process gets a deadline and is killed when it misses it; nothing sleeps. The launcher runs on the JVM
 * that runs this test ({@code JAVA_HOME} is set to it), so a run on Java 25 checks the Java 24+ flags too.
 */
class LauncherIT {
    private static final long DEADLINE_SECONDS = 120;

    /** docs/LIBRARIES.md: Chronicle Queue and Agrona fail on Java 17+ without these. */
    private static final List<String> REQUIRED_JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED");
    private static final List<String> JDK24_JVM_FLAGS = List.of(
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    private static final List<String> CHRONICLE_SWITCHES = List.of(
        "chronicle.analytics.disable", "chronicle.announcer.disable", "chronicle.disk.monitor.disable");

    private static Path root;
    private static Path launcher;

    @TempDir
    Path tmp;
    private int launches;

    /** The project root: the working directory (failsafe runs in gateway/) or its parent, whichever has bin/perpcore. */
    @BeforeAll
    static void findLauncher() {
        final Path cwd = Path.of("").toAbsolutePath();
        for (Path dir : Stream.of(cwd, cwd.getParent()).filter(Objects::nonNull).toList()) {
            if (Files.isExecutable(dir.resolve("bin/perpcore"))) {
                root = dir;
                launcher = dir.resolve("bin/perpcore");
                return;
            }
        }
        fail("bin/perpcore not found in " + cwd + " or its parent");
    }

    @Test
    void envReportsTheChronicleSwitchesAndTheJvmFlags() throws Exception {
        final Launch env = launch("env");

        assertEquals(0, env.status, env::describe);
        final List<String> lines = env.stdoutText().lines().toList();
        final String jvmArgs = lines.stream().filter(l -> l.startsWith("jvm.args=")).findFirst()
            .orElseGet(() -> fail("no jvm.args= line\n" + env.describe()));
        final List<String> args = List.of(jvmArgs.substring("jvm.args=".length()).split(" "));
        final boolean jdk24 = Runtime.version().feature() >= 24;
        final List<Executable> checks = new ArrayList<>();
        for (String key : CHRONICLE_SWITCHES) {
            checks.add(() -> assertTrue(lines.contains(key + "=true"), () -> "env reports " + key + "=true"));
            checks.add(() -> assertTrue(args.contains("-D" + key + "=true"), () -> "the JVM runs with -D" + key + "=true"));
        }
        for (String flag : REQUIRED_JVM_FLAGS) {
            checks.add(() -> assertTrue(args.contains(flag), () -> "the JVM runs with " + flag));
        }
        for (String flag : JDK24_JVM_FLAGS) {
            checks.add(() -> assertEquals(jdk24, args.contains(flag), () -> flag + (jdk24 ? " is needed on Java 24+"
                : " must not be given to Java " + Runtime.version().feature() + " (it refuses to start)")));
        }
        checks.add(() -> assertTrue(lines.contains("java.version=" + System.getProperty("java.version")),
            "the launcher runs the Java of JAVA_HOME"));
        assertAll("bin/perpcore env\n" + env.describe(), checks);
    }

    @Test
    void exampleScenarioPrintsJsonLines() throws Exception {
        final Launch demo = launch("example");

        assertEquals(0, demo.status, demo::describe);
        final List<String> lines = demo.stdoutText().lines().toList();
        assertFalse(lines.isEmpty(), demo::describe);
        for (String line : lines) {
            assertTrue(line.startsWith("{\"seq\":") && line.endsWith("}"), () -> "a JSON object per line: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"TRADE\"")), "at least one TRADE");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"REJECT\"")), "at least one REJECT");
    }

    @TestFactory
    Stream<DynamicTest> scenarioPrintsTheGoldenBytes() throws IOException {
        final List<DynamicTest> tests = new ArrayList<>();
        for (Path script : GoldenFiles.scripts()) {
            tests.add(dynamicTest(script.getFileName().toString(), () -> {
                final Launch run = launch("scenario", script.toString());
                assertEquals(0, run.status, run::describe);
                assertEquals("", run.stderr, "nothing on stderr");
                GoldenFiles.assertSameBytes("bin/perpcore scenario " + script.getFileName(),
                    GoldenFiles.readExpected(script), run.stdout);
            }));
        }
        return tests.stream();
    }

    /** Chronicle Queue fails without the launcher's JVM flags: a journaled run proves they are enough. */
    @Test
    void journaledScenarioPrintsTheGoldenBytes() throws Exception {
        final Path script = GoldenFiles.dir().resolve("limit_priority.scn");
        final Path journal = tmp.resolve("journal");

        final Launch run = launch("scenario", script.toString(), "--journal", journal.toString(), "--layout", "split");

        assertEquals(0, run.status, run::describe);
        assertEquals("", run.stderr, "nothing on stderr (no Chronicle warning either)");
        GoldenFiles.assertSameBytes("bin/perpcore scenario --journal", GoldenFiles.readExpected(script), run.stdout);
        assertTrue(Files.isDirectory(journal.resolve("commands")) && Files.isDirectory(journal.resolve("events")),
            "both journals are written");
    }

    @Test
    void badScriptExitsWithStatus2AndTheLineNumber() throws Exception {
        final Path script = Files.writeString(tmp.resolve("bad.scn"),
            "time 2025-10-10T14:00:00Z\nmarket BTCUSDT tick=0.1 step=0.001\norder alice BTCUSDT buy sideways 1\n");

        final Launch run = launch("scenario", script.toString());

        assertEquals(2, run.status, run::describe);
        assertTrue(run.stderr.startsWith("line 3: "), run::describe);
        assertEquals(0, run.stdout.length, run::describe);
    }

    private Launch launch(String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        final int n = ++launches;
        final Path out = tmp.resolve("launch-" + n + ".out");
        final Path err = tmp.resolve("launch-" + n + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        final Map<String, String> env = builder.environment();
        env.put("PERPCORE_NO_BUILD", "1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("PERPCORE_JAVA_OPTS");
        final Process process = builder.start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + DEADLINE_SECONDS + " s; stderr so far:\n"
                + Files.readString(err));
        }
        return new Launch(String.join(" ", command), process.exitValue(), Files.readAllBytes(out),
            Files.readString(err));
    }

    private record Launch(String command, int status, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String describe() {
            final String text = stdoutText();
            return command + ": exit status " + status + "\n--- stderr ---\n" + stderr + "--- stdout ---\n"
                + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
        }
    }
}
