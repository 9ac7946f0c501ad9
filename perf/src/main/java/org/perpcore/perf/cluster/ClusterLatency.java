package org.perpcore.perf.cluster;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.perpcore.cluster.ClusterBus;
import org.perpcore.cluster.ClusterConfig;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandBus;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineBus;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.journal.CommandJournal;
import org.perpcore.journal.EventJournal;

/**
 * Order → ack through a {@link CommandBus}: the single-node pipeline (command journal, engine, event journal, in
 * this process) against a 3-node cluster on loopback (three node processes; this process is the client). The
 * ack is the moment the bus hands the order's events to the output stage: for the cluster, after a majority
 * committed it and the leader applied it. HTTP is not in the path (docs/PERFORMANCE.md measures the gateway).
 *
 * <p><b>Fixed rate</b> (open loop): order i is due at {@code start + i / rate} and its latency runs from that
 * intended time, so a stall that delays later sends counts against them too. <b>Sustained</b>: a window of
 * orders in flight, the next sent as soon as one is answered: acks per second. Orders alternate a GTC sell at
 * 100,000 that rests and an IOC buy at 100,000 that takes it, so every second order trades.
 *
 * <pre>
 * java FLAGS -cp perf/target/perpcore-perf.jar org.perpcore.perf.cluster.ClusterLatency
 *      [--mode both|pipeline|cluster] [--rate 2000] [--seconds 10] [--warmup-seconds 5] [--window 64]
 *      [--sustained-seconds 10] [--idle backoff|sleeping]
 * </pre>
 */
public final class ClusterLatency {
    private static final int MAX = 1 << 22;

    private final long[] intendedNs = new long[MAX];
    private final AtomicLong answered = new AtomicLong();
    private volatile Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private volatile int base;

    /** The output stage: records each answer's latency from its intended send time (single writer). */
    private final OutputStage recorder = (c, endOfBatch) -> {
        final long id = c.correlationId;
        if (id > 0 && id < MAX) {
            final long t = intendedNs[(int) id];
            if (t != 0 && id >= base) {
                histogram.recordValue(Math.max(0, System.nanoTime() - t));
            }
            answered.incrementAndGet();
        }
    };

    public static void main(String[] argv) throws Exception {
        String mode = "both";
        double rate = 2000;
        int seconds = 10;
        int warmup = 5;
        int window = 64;
        int sustained = 10;
        String idle = "backoff";
        for (int i = 0; i < argv.length; i += 2) {
            switch (argv[i]) {
                case "--mode" -> mode = argv[i + 1];
                case "--rate" -> rate = Double.parseDouble(argv[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(argv[i + 1]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(argv[i + 1]);
                case "--window" -> window = Integer.parseInt(argv[i + 1]);
                case "--sustained-seconds" -> sustained = Integer.parseInt(argv[i + 1]);
                case "--idle" -> idle = argv[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        System.out.printf(Locale.ROOT, "order -> ack through the CommandBus; rate %.0f/s for %d s after %d s warm-up;"
            + " sustained window %d for %d s; idle %s; %d cpus, java %s%n", rate, seconds, warmup, window, sustained,
            idle, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        final List<String> rows = new ArrayList<>();
        if (!mode.equals("cluster")) {
            rows.add(new ClusterLatency().run("pipeline", null, rate, seconds, warmup, window, sustained));
        }
        if (!mode.equals("pipeline")) {
            rows.add(new ClusterLatency().run("cluster-3", idle, rate, seconds, warmup, window, sustained));
        }
        System.out.println("| bus | rate /s | p50 µs | p99 µs | p99.9 µs | max µs | sustained acks/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private String run(String name, String idle, double rate, int seconds, int warmup, int window, int sustained)
        throws Exception {
        final Path dir = Files.createTempDirectory("perpcore-bench-" + name + "-");
        final List<Process> nodes = new ArrayList<>();
        CommandBus bus = null;
        try {
            if (idle == null) {
                final Path j = dir.resolve("journal");
                bus = new PipelineBus(new Pipeline(new Engine(), PipelineConfig.DEFAULT, new CommandJournal(j),
                    new EventJournal(j, recorder)));
            } else {
                final ClusterConfig config = startNodes(dir, idle, nodes);
                final ClusterBus cb = ClusterBus.start(config, recorder, w -> System.err.println("  client: " + w));
                cb.awaitConnected(120_000);
                bus = cb;
            }
            setup(bus);
            int next = 1;
            // warm-up, then measure, at the fixed rate
            next = fixedRate(bus, next, rate, warmup, true);
            histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            base = next;
            final long t0 = System.nanoTime();
            final int first = next;
            next = fixedRate(bus, next, rate, seconds, false);
            awaitAnswered(next - 1, 30_000);
            final double achieved = (next - first) / ((System.nanoTime() - t0) / 1e9);
            final Histogram h = histogram;
            // sustained: a window in flight
            base = Integer.MAX_VALUE;
            final long s0 = System.nanoTime();
            final long startAnswered = answered.get();
            final long end = s0 + TimeUnit.SECONDS.toNanos(sustained);
            final Command c = new Command();
            while (System.nanoTime() < end && next < MAX - 1) {
                if (next - 1 - answered.get() < window) {
                    send(bus, c, next++);
                } else {
                    Thread.onSpinWait();
                }
            }
            final double acks = (answered.get() - startAnswered) / ((System.nanoTime() - s0) / 1e9);
            awaitAnswered(next - 1, 30_000);
            return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |", name, achieved,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, acks);
        } finally {
            if (bus != null) {
                bus.close();
            }
            for (Process p : nodes) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int fixedRate(CommandBus bus, int next, double rate, int seconds, boolean warm) {
        final Command c = new Command();
        final long periodNs = (long) (1e9 / rate);
        final long start = System.nanoTime();
        final long n = (long) (rate * seconds);
        for (long i = 0; i < n && next < MAX - 1; i++) {
            final long due = start + i * periodNs;
            long now;
            while ((now = System.nanoTime()) < due) {
                if (due - now > 60_000) {
                    LockSupport.parkNanos(50_000);
                }
            }
            intendedNs[next] = due;
            send(bus, c, next++);
        }
        return next;
    }

    private static void send(CommandBus bus, Command c, int id) {
        final boolean sell = (id & 1) == 0;
        c.clear();
        c.type = org.perpcore.core.model.CommandType.PLACE_ORDER;
        c.account.set(sell ? "seller" : "buyer");
        c.symbol.set("BTCUSDT");
        c.side = sell ? org.perpcore.core.model.Side.SELL : org.perpcore.core.model.Side.BUY;
        c.orderType = org.perpcore.core.model.OrderType.LIMIT;
        c.timeInForce = sell ? org.perpcore.core.model.TimeInForce.GTC : org.perpcore.core.model.TimeInForce.IOC;
        c.priceE8 = 100_000L * 100_000_000L;
        c.qtyE8 = 100_000L;
        c.timestampMs = System.currentTimeMillis();
        c.correlationId = id;
        bus.publish(c);
    }

    private void awaitAnswered(long n, long timeoutMs) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (answered.get() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void setup(CommandBus bus) throws ScenarioException, InterruptedException {
        final ScenarioParser parser = new ScenarioParser();
        final String[] lines = {
            "market BTCUSDT tick=0.1 step=0.001 minQty=0.001 maxQty=1000 minNotional=5 maxOpenOrders=1000000"
                + " stp=none maxLeverage=125",
            "bracket BTCUSDT 0 0.004 125",
            "index BTCUSDT 100000",
            "deposit seller 1000000000",
            "deposit buyer 1000000000",
        };
        int n = 0;
        for (String l : lines) {
            final Command c = new Command();
            if (parser.parse(l, ++n, c)) {
                c.timestampMs = System.currentTimeMillis();
                bus.publish(c);
            }
        }
        Thread.sleep(500);
    }

    private static ClusterConfig startNodes(Path dir, String idle, List<Process> nodes) throws IOException {
        final Properties p = new Properties();
        p.setProperty("members", "0=127.0.0.1:31000,1=127.0.0.1:31100,2=127.0.0.1:31200");
        p.setProperty("dir", dir.resolve("nodes").toString());
        p.setProperty("aeronDir", "/dev/shm/perpcore-bench-" + ProcessHandle.current().pid());
        p.setProperty("idle", idle);
        p.setProperty("snapshotIntervalMs", "0");
        final Path file = dir.resolve("cluster.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "bench");
        }
        for (int i = 0; i < 3; i++) {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
                    || a.startsWith("-Dchronicle.")) {
                    cmd.add(a);
                }
            }
            cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.perpcore.gateway.cli.Main", "serve", "--cluster", file.toString(), "--member",
                Integer.toString(i)));
            nodes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node-" + i + ".log").toFile()).start());
        }
        return ClusterConfig.load(file, -1);
    }
}
