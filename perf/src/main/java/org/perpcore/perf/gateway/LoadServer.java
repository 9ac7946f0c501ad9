package org.perpcore.perf.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.gateway.Gateway;
import org.perpcore.gateway.GatewayConfig;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiKey;

/**
 * The gateway that {@link GatewayLoad} measures, set up for its load: one market (BTCUSDT), and for each
 * connection an account {@code bench<i>} with a deposit and an API key {@code benchKey<i>} / secret
 * {@code benchSecret<i>} without rate limits that matter. Runs in the load generator's JVM ({@code --in-process})
 * or, by default, as this class's {@link #main} in a JVM of its own, which prints {@code ready <port>} once it
 * serves and then answers each {@code stats} line on its standard input with its {@link ServerStats}; it stops
 * at the end of its input.
 */
final class LoadServer {
    static final ApiKey.RateLimits UNLIMITED = new ApiKey.RateLimits(1 << 30, 1 << 30, 1 << 30);

    private LoadServer() {
    }

    static String apiKey(int connection) {
        return String.format("benchKey%056d", connection);
    }

    static String secret(int connection) {
        return "benchSecret" + connection;
    }

    static String account(int connection) {
        return "bench" + connection;
    }

    /** Starts a gateway (API on a free loopback port, no admin API) with the market, accounts and keys. */
    static Gateway start(int connections, int ioThreads, PipelineConfig pipeline, Path journal)
        throws InterruptedException, IOException {
        if (journal != null && Files.isDirectory(journal)) {
            try (Stream<Path> entries = Files.list(journal)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("the journal directory " + journal + " is not empty: the load"
                        + " needs a fresh one");
                }
            }
        }
        final Gateway gateway = Gateway.start(GatewayConfig.defaults().withPorts(0, -1).withIoThreads(ioThreads)
            .withPipeline(pipeline).withJournal(journal).withLimits(UNLIMITED, 10));
        gateway.apply(List.of("market BTCUSDT tick=0.1 step=0.001 maxQty=1000 makerFee=0.0002 takerFee=0.0005"
            + " maxOpenOrders=10000", "index BTCUSDT 100000"), 30_000);
        final List<String> deposits = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            AdminRouter.newKey(gateway.keys(), account(i), apiKey(i), secret(i), UNLIMITED);
            deposits.add("deposit " + account(i) + " 100000000");
        }
        gateway.apply(deposits, 30_000);
        return gateway;
    }

    /** {@code LoadServer CONNECTIONS IO_THREADS WAIT_STRATEGY fused|split|one-thread [JOURNAL_DIR]}. */
    public static void main(String[] argv) throws Exception {
        final int connections = Integer.parseInt(argv[0]);
        final int ioThreads = Integer.parseInt(argv[1]);
        final PipelineConfig pipeline = PipelineConfig.DEFAULT.withWaitStrategy(argv[2])
            .withFused(!argv[3].equals("split")).withOutputOnEngineThread(argv[3].equals("one-thread"));
        final Path journal = argv.length > 4 ? Path.of(argv[4]) : null;
        final Gateway gateway = start(connections, ioThreads, pipeline, journal);
        System.out.println("ready " + gateway.port());
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                // this thread's own reading and printing is not the server's work
                System.out.println(ServerStats.read(name -> !name.equals("main")).line());
                System.out.flush();
            }
        }
        gateway.close();
        System.exit(0);
    }
}
