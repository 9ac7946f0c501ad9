package org.perpcore.gateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.perpcore.cluster.ClusterBus;
import org.perpcore.cluster.ClusterConfig;
import org.perpcore.gateway.Gateway;
import org.perpcore.gateway.GatewayConfig;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiKey;

/**
 * {@code perpcore cluster-demo}: a 3-node Perpcore cluster on loopback as real processes, a gateway in front of it,
 * signed orders through the gateway's REST API from a few traders, and, under that load, the leader killed
 * (SIGKILL), trading going on with the new leader, the dead node restarted (it restores its latest snapshot and
 * catches up from the log); as many rounds as asked. Then every node reports its state hash at the same seq, and
 * every order the gateway acknowledged must be open in the replicated state. Exit 0 only when the nodes agree and
 * no acknowledged order was lost; 1 otherwise. Bounded in time; removes its processes and files.
 */
final class ClusterDemoCommand {
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":(\\d+)");
    private static final Pattern STATE = Pattern.compile(
        "perpcore node (\\d+): state seq=(\\d+) stateHash=([0-9a-f]+) openOrders=(\\d+)");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final PrintStream out;
    private final PrintStream err;
    private final int rounds;
    private final long phaseMs;
    private final int traders;
    private final Path dir;
    private final Path clusterFile;
    private final ClusterConfig cluster;
    private final Node[] nodes = new Node[3];
    private final List<String> nodeLines = new CopyOnWriteArrayList<>();
    private final Map<Long, Boolean> acked = new ConcurrentHashMap<>();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean trading = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Gateway gateway;
    private ClusterBus bus;

    /** One node process and the lines it printed. */
    private final class Node {
        final int id;
        Process process;

        Node(int id) {
            this.id = id;
        }

        void start() throws IOException {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
                    || a.startsWith("-Dchronicle.") || a.startsWith("-Xss")) {
                    cmd.add(a);
                }
            }
            cmd.add("-Xmx512m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of("serve", "--cluster", clusterFile.toString(), "--member", Integer.toString(id)));
            final ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectErrorStream(true);
            process = pb.start();
            final Process p = process;
            final Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        nodeLines.add(line);
                        if (!line.contains(": state seq=") && !line.contains(": snapshot seq=")) {
                            say("  | " + line);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone: its lines end here
                }
            }, "node-" + id + "-output");
            t.setDaemon(true);
            t.start();
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private ClusterDemoCommand(PrintStream out, PrintStream err, int rounds, long phaseMs, int traders, Path dir)
        throws IOException {
        this.out = out;
        this.err = err;
        this.rounds = rounds;
        this.phaseMs = phaseMs;
        this.traders = traders;
        this.dir = dir;
        this.clusterFile = dir.resolve("cluster.properties");
        final Properties p = new Properties();
        p.setProperty("members", freeMembers());
        p.setProperty("dir", dir.resolve("nodes").toString());
        p.setProperty("aeronDir", (Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/" : dir + "/")
            + "perpcore-demo-" + ProcessHandle.current().pid());
        p.setProperty("journal", "true");
        p.setProperty("snapshotIntervalMs", Long.toString(Math.max(1000, phaseMs)));
        p.setProperty("heartbeatTimeoutMs", "1000");
        p.setProperty("electionTimeoutMs", "500");
        p.setProperty("startupCanvassMs", "3000");
        p.setProperty("sessionTimeoutMs", "10000");
        try (Writer w = Files.newBufferedWriter(clusterFile, StandardCharsets.UTF_8)) {
            p.store(w, "perpcore cluster-demo: three members on loopback");
        }
        this.cluster = ClusterConfig.load(clusterFile, -1);
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final int rounds;
        final long phaseMs;
        final int traders;
        try {
            rounds = intOption(args, "rounds", 2, 1, 10);
            phaseMs = intOption(args, "phase-ms", 3000, 500, 60_000);
            traders = intOption(args, "traders", 4, 1, 32);
        } catch (IllegalArgumentException e) {
            err.println("perpcore cluster-demo: " + e.getMessage());
            return 2;
        }
        Path dir = null;
        ClusterDemoCommand demo = null;
        try {
            dir = Files.createTempDirectory("perpcore-cluster-demo-");
            demo = new ClusterDemoCommand(out, err, rounds, phaseMs, traders, dir);
            return demo.go();
        } catch (Exception e) {
            err.println("perpcore cluster-demo: " + e);
            return 1;
        } finally {
            if (demo != null) {
                demo.cleanUp();
            }
            if (dir != null && !args.flag("keep")) {
                delete(dir);
            } else if (dir != null) {
                out.println("files kept in " + dir);
            }
            out.flush();
        }
    }

    private int go() throws Exception {
        final long started = System.nanoTime();
        say("perpcore cluster-demo: 3 nodes on loopback (" + cluster.ingressEndpoints() + "), files in " + dir);
        for (int i = 0; i < 3; i++) {
            nodes[i] = new Node(i);
            nodes[i].start();
        }
        final String token = "demo-admin-token";
        final GatewayConfig gc = GatewayConfig.defaults().withPorts(0, 0).withAdminToken(token)
            .withLimits(new ApiKey.RateLimits(1 << 30, 1 << 30, 1 << 30), 10);
        gateway = Gateway.start(gc, output -> {
            bus = ClusterBus.start(cluster, output, w -> say("  gateway: " + w));
            return bus;
        });
        bus.awaitConnected(90_000);
        say("gateway on http://127.0.0.1:" + gateway.port() + ", connected to the cluster (leader: node "
            + bus.leaderMemberId() + ")");
        final List<ApiKey> keys = setup();

        final List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < traders; i++) {
            final ApiKey key = keys.get(i);
            final int n = i;
            final Thread t = new Thread(() -> trade(n, key), "trader-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        Thread.sleep(phaseMs);
        for (int r = 1; r <= rounds; r++) {
            final int leader = bus.leaderMemberId();
            final long before = acked.size();
            nodes[leader].kill();
            say("round " + r + ": killed the leader, node " + leader + " (SIGKILL) with " + before
                + " orders acknowledged so far");
            // the survivors elect a new leader (a heartbeat timeout, then a vote) and the gateway follows it
            final long electionDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((bus.leaderMemberId() == leader || acked.size() == before)
                && System.nanoTime() < electionDeadline) {
                Thread.sleep(20);
            }
            Thread.sleep(phaseMs);
            say("round " + r + ": " + (acked.size() - before) + " more orders acknowledged since; leader now node "
                + bus.leaderMemberId() + "; restarting node " + leader);
            final int startsBefore = starts(leader);
            nodes[leader].start();
            // Aeron's mark files of the killed process stay "active" for 10 s: the node waits that out, then
            // restores its latest snapshot and catches up from the leader's log, under load
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (starts(leader) == startsBefore && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            Thread.sleep(phaseMs);
        }
        trading.set(false);
        for (Thread t : workers) {
            t.join(60_000);
        }
        say("load stopped: " + acked.size() + " orders acknowledged, " + refused.get() + " refused by the engine, "
            + unknown.get() + " without an answer");

        // one QUERY_STATE through the cluster: every node prints its state at that seq
        final String state = get("http://127.0.0.1:" + gateway.adminPort() + "/admin/state", "Bearer " + token);
        final Matcher sm = SEQ.matcher(state);
        if (!sm.find()) {
            throw new IllegalStateException("no seq in the admin state answer: " + state);
        }
        final long seq = Long.parseLong(sm.group(1));
        final String[] hashes = new String[3];
        final long[] open = new long[3];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (hashes[0] == null || hashes[1] == null || hashes[2] == null)) {
            for (String line : nodeLines) {
                final Matcher m = STATE.matcher(line);
                if (m.find() && Long.parseLong(m.group(2)) == seq) {
                    final int id = Integer.parseInt(m.group(1));
                    hashes[id] = m.group(3);
                    open[id] = Long.parseLong(m.group(4));
                }
            }
            Thread.sleep(50);
        }
        boolean agree = true;
        for (int i = 0; i < 3; i++) {
            say("node " + i + ": seq=" + seq + " stateHash=" + (hashes[i] == null ? "(no answer within 60 s)"
                : hashes[i] + " openOrders=" + open[i]));
            agree &= hashes[i] != null && hashes[i].equals(hashes[0]);
        }
        say(agree ? "the three nodes agree" : "THE NODES DISAGREE (or one did not catch up)");

        // every acknowledged order must be open in the replicated state
        final Set<Long> openIds = ConcurrentHashMap.newKeySet();
        for (ApiKey k : keys) {
            final String body = signedGet(k, "/fapi/v1/openOrders", "symbol=BTCUSDT");
            final Matcher m = ORDER_ID.matcher(body);
            while (m.find()) {
                openIds.add(Long.parseLong(m.group(1)));
            }
        }
        long lost = 0;
        for (Long id : acked.keySet()) {
            if (!openIds.contains(id)) {
                lost++;
            }
        }
        final boolean countMatches = hashes[0] != null && open[0] == openIds.size();
        say("acknowledged orders: " + acked.size() + ", of which missing from the replicated state: " + lost
            + "; open orders: gateway " + openIds.size() + ", engine " + open[0]
            + (countMatches ? "" : " (DIFFERENT)"));
        say(String.format("done in %.1f s", (System.nanoTime() - started) / 1e9));
        final boolean ok = agree && lost == 0 && countMatches && acked.size() > 0 && bus.holes() == 0;
        say(ok ? "OK: the nodes agree and no acknowledged order was lost" : "FAILED");
        return ok ? 0 : 1;
    }

    private int starts(int id) {
        int n = 0;
        for (String line : nodeLines) {
            if (line.startsWith("perpcore node " + id + ": started")) {
                n++;
            }
        }
        return n;
    }

    private List<ApiKey> setup() throws InterruptedException {
        final List<String> lines = new ArrayList<>();
        lines.add("market BTCUSDT tick=0.1 step=0.001 minQty=0.001 maxQty=1000 minNotional=5 maxOpenOrders=100000"
            + " maxLeverage=125");
        lines.add("bracket BTCUSDT 0 0.004 125");
        lines.add("index BTCUSDT 100000");
        final List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < traders; i++) {
            final String account = "trader" + i;
            lines.add("deposit " + account + " 100000000");
            keys.add(AdminRouter.newKey(gateway.keys(), account, null, null,
                new ApiKey.RateLimits(1 << 30, 1 << 30, 1 << 30)));
        }
        final String answer = gateway.apply(lines, 60_000);
        if (answer.startsWith("{\"code\"")) {
            throw new IllegalStateException("the setup was refused: " + answer);
        }
        say("set up BTCUSDT and " + traders + " funded traders through the cluster");
        return keys;
    }

    /** Resting bids, each at its own price, until told to stop: every acknowledged one stays open. */
    private void trade(int trader, ApiKey key) {
        long n = 0;
        while (trading.get()) {
            n++;
            final String price = String.format("%d.%d", 50_000 + trader * 1000 + (n / 10) % 900, n % 10);
            final String query = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=" + price
                + "&newClientOrderId=t" + trader + "-" + n + "&recvWindow=60000&timestamp=" + System.currentTimeMillis();
            try {
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/fapi/v1/order?" + query + "&signature="
                            + key.sign(query)))
                    .header("X-MBX-APIKEY", key.key()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                final Matcher m = ORDER_ID.matcher(r.body());
                if (r.statusCode() == 200 && m.find()) {
                    acked.put(Long.parseLong(m.group(1)), Boolean.TRUE);
                } else {
                    refused.incrementAndGet();
                    if (refused.get() <= 3) {
                        say("  order refused: " + r.statusCode() + " " + r.body());
                    }
                }
            } catch (IOException e) {
                unknown.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String signedGet(ApiKey key, String path, String params) throws IOException, InterruptedException {
        final String query = params + "&recvWindow=60000&timestamp=" + System.currentTimeMillis();
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.port() + path + "?" + query + "&signature=" + key.sign(query)))
            .header("X-MBX-APIKEY", key.key()).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private String get(String url, String auth) throws IOException, InterruptedException {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private void cleanUp() {
        trading.set(false);
        if (gateway != null) {
            try {
                gateway.close();
            } catch (RuntimeException e) {
                err.println("perpcore cluster-demo: closing the gateway: " + e);
            }
        }
        for (Node n : nodes) {
            if (n != null) {
                try {
                    n.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static int intOption(Args args, String name, int dflt, int min, int max) {
        final String v = args.option(name);
        if (v == null) {
            return dflt;
        }
        try {
            final int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max
                + ", not '" + v + "'");
        }
    }

    /** Three base ports whose five UDP ports each are free now. */
    private static String freeMembers() {
        final StringBuilder sb = new StringBuilder();
        int id = 0;
        while (id < 3) {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(400) * 100;
            boolean free = true;
            for (int p = base + 1; p <= base + ClusterConfig.CATCHUP_OFFSET && free; p++) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                    free = s.getLocalPort() == p;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free && sb.indexOf(":" + base) < 0) {
                sb.append(id == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(base);
                id++;
            }
        }
        return sb.toString();
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
