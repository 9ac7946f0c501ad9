package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One small demo run shared by the post-mortem tests: {@code perpcore demo} with 2,000 traders over a synthetic
 * 60-minute crash (no data file needed), a snapshot every {@link #SNAPSHOT_EVERY} commands, in a temporary
 * directory removed when the JVM exits. Seconds, once.
 */
final class SmallCascade {
    static final int ACCOUNTS = 2_000;
    static final long SEED = 7;
    /** Snapshots every this many commands (besides the map time's): a few in the run, as in the full demo. */
    static final int SNAPSHOT_EVERY = 20_000;
    /** 2025-10-10T20:30:00Z: the synthetic day lies on the real one, so the report's published comparison shows. */
    static final long T0 = 1_760_128_200_000L;

    private static SmallCascade instance;

    final Path root;
    final Path prices;
    final Path run;
    final Path journal;
    final CliRun demo;

    private SmallCascade() throws IOException {
        root = Files.createTempDirectory("perpcore-postmortem-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        prices = root.resolve("crash.csv");
        Files.write(prices, crashKlines(), StandardCharsets.UTF_8);
        demo = CliRun.of("demo", "--prices", prices.toString(), "--accounts", Integer.toString(ACCOUNTS), "--seed",
            Long.toString(SEED), "--out", root.resolve("out").toString(), "--snapshot-every",
            Integer.toString(SNAPSHOT_EVERY));
        assertEquals(0, demo.status(), demo::describe);
        run = root.resolve("out").resolve("demo-" + SEED + "-" + ACCOUNTS);
        journal = run.resolve("journal");
    }

    static synchronized SmallCascade get() {
        if (instance == null) {
            try {
                instance = new SmallCascade();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * A Binance kline CSV: 10 calm minutes around 100,000, a crash of 1.5 % a minute for 12 minutes (about -17 %),
     * a rebound of 0.8 % a minute for 10, then calm; volume heavier in the crash.
     */
    static List<String> crashKlines() {
        final List<String> lines = new ArrayList<>();
        lines.add("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
            + "taker_buy_quote_volume,ignore");
        long price = 1_000_000; // ticks of 0.1
        for (int i = 0; i < 60; i++) {
            final long move = i >= 10 && i < 22 ? -price * 15 / 1000 : i >= 22 && i < 32 ? price * 8 / 1000
                : (i % 2 == 0 ? 40 : -40);
            final long open = price;
            final long close = price + move;
            final long high = Math.max(open, close) + 25;
            final long low = Math.min(open, close) - 25 - (move < 0 ? -move / 4 : 0);
            final long t = T0 + i * 60_000L;
            final String volume = (i >= 10 && i < 22 ? 2_000 : 200) + ".000";
            lines.add(t + "," + ticks(open) + "," + ticks(high) + "," + ticks(low) + "," + ticks(close) + "," + volume
                + "," + (t + 59_999) + ",0,0,0,0,0");
            price = close;
        }
        return lines;
    }

    private static String ticks(long t) {
        return t / 10 + "." + t % 10;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
