package org.perpcore.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM running a main class of this test classpath, with the project's JVM flags (those this JVM runs
 * with), its output lines collected as they come. Deadlines everywhere; nothing waits forever.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;
    static final String EOF = "\u0000EOF";

    private ChildJvm(Process process) {
        this.process = process;
        outReader = pump(process.getInputStream(), true);
        errReader = pump(process.getErrorStream(), false);
    }

    /** Starts {@code java [flags] -cp CLASSPATH mainClass args} with {@code javaHome}'s java (null: this one). */
    static ChildJvm start(Path javaHome, List<String> extraFlags, Class<?> main, String... args) throws IOException {
        final String java = (javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome)
            .resolve("bin").resolve("java").toString();
        final List<String> command = new ArrayList<>();
        command.add(java);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle.") || a.startsWith("-Xss")) {
                command.add(a);
            }
        }
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command);
        return new ChildJvm(pb.start());
    }

    private Thread pump(java.io.InputStream in, boolean out) {
        final Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (out) {
                        all.add(line);
                        lines.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process died: what was read is what it wrote
            } finally {
                if (out) {
                    lines.add(EOF);
                }
            }
        }, "child-" + (out ? "out" : "err"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The next output line, waiting at most {@code timeoutMs}; {@link #EOF} at the end, null on timeout. */
    String nextLine(long timeoutMs) throws InterruptedException {
        return lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL (destroyForcibly on Unix), then everything it had written. */
    List<String> kill() throws InterruptedException {
        process.destroyForcibly();
        return waitFor(60);
    }

    /** Waits for the process to end and its output to be read; returns every output line. */
    List<String> waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the child JVM did not end within " + seconds + " s; stderr: " + stderr);
        }
        outReader.join(TimeUnit.SECONDS.toMillis(seconds));
        errReader.join(TimeUnit.SECONDS.toMillis(seconds));
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
