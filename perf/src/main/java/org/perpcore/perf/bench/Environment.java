package org.perpcore.perf.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and how a result was measured, stored with it so that runs on different machines, JVMs and revisions can be
 * told apart and compared: CPU, cores, memory, OS, JVM, its flags and collectors, the pipeline's wait strategy and
 * journal mode, the git revision, the profile and rate, and the load average when the run started (the machine may
 * be shared).
 */
final class Environment {
    private Environment() {
    }

    static Map<String, Object> capture(BenchOptions o) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryBytes", memoryBytes());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("javaVersion", System.getProperty("java.version"));
        m.put("javaVendor", System.getProperty("java.vendor"));
        m.put("jvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        final List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        m.put("gc", gcs);
        m.put("waitStrategy", o.waitStrategy);
        m.put("journal", o.journal ? "on (Chronicle Queue, MAPPED durability, commands and events)" : "off");
        m.put("layout", o.fused ? "fused: journal + engine thread, output thread"
            : "split: journal thread, engine thread, output thread");
        m.put("gitRevision", git("rev-parse", "HEAD"));
        final String status = git("status", "--porcelain", "--untracked-files=no");
        m.put("gitDirty", status == null ? null : !status.isEmpty());
        m.put("profile", o.profile);
        m.put("rate", o.rate);
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture is all there is
        }
        return System.getProperty("os.arch");
    }

    private static Long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return null;
    }

    /** git output in the project's root (bin/perpcore passes it as perpcore.root; else the working directory). */
    private static String git(String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.add("-C");
        cmd.add(System.getProperty("perpcore.root", "."));
        cmd.addAll(List.of(args));
        try {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
