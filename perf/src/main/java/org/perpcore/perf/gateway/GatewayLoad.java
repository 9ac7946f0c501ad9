package org.perpcore.perf.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.gateway.Gateway;
import org.perpcore.gateway.binance.ApiKey;
import org.perpcore.gateway.http.Transport;

/**
 * Signed order round trips over loopback against the gateway: {@code POST /fapi/v1/order} with HMAC-SHA256
 * signatures the server verifies, through the whole pipeline (journal stage, engine, output stage), answered
 * after the engine's result.
 *
 * <p>Two measurements. <b>Fixed rate</b> (open loop): request i is due at {@code start + i / rate}; its latency is
 * measured from that intended time to the last byte of its answer, so a stall that delays later sends counts
 * against them too (no coordinated omission). The sender (a task of the client's event loop by default, or
 * {@code --sender thread}: a thread of its own that parks ~50 us at a time) wakes when the next request is due and
 * sends what is due, so its own timer granularity is inside the measured latency too. <b>Sustained</b> (closed loop): every connection sends its next
 * order as soon as the previous one is answered; the answered orders per second.
 *
 * <p>The load: each connection trades for its own account, alternately a GTC sell at 100,000 that rests and an
 * IOC buy at 100,000 (self-trade prevention off) that takes the oldest resting sell, so every second order
 * trades and the book stays shallow. Requests are signed before the clock starts (the client's HMAC cost is not
 * the server's), with a recvWindow of 60 s.
 *
 * <p>The server ({@link LoadServer}) runs in a JVM of its own by default, started with the JVM options
 * {@code bin/perpcore serve} uses ({@code bin/serve-jvm.options}) or those of {@code --server-jvm}, so that its
 * heap, collections and JIT are not the load generator's; {@code --in-process} runs it in this JVM. Each phase
 * reports the server's allocation and CPU per order ({@link ServerStats}). The client reads answers with a lean
 * parser of its own (status code, Content-Length, skipped body) that allocates nothing per answer.
 *
 * <pre>
 * java FLAGS -cp perf/target/perpcore-perf.jar org.perpcore.perf.gateway.GatewayLoad
 *      [--rate 10000] [--seconds 10] [--warmup-seconds 5] [--connections 64] [--sustained-seconds 10]
 *      [--io-threads 1] [--wait-strategy sleeping] [--layout fused|split|one-thread] [--journal DIR]
 *      [--in-process | --server-jvm "OPTIONS"] [--pings] [--sender loop|thread]
 * </pre>
 *
 * <p>{@code --pings} sends {@code GET /fapi/v1/ping} instead of orders: the same connections, HTTP parsing and
 * loopback, answered on the event loop without the pipeline's two thread hand-offs; what is left of the latency
 * is the transport's and the machine's.
 */
public final class GatewayLoad {
    private final Target server;
    private final EventLoopGroup clientLoop = clientGroup();
    private final List<Conn> conns = new ArrayList<>();
    private final ConcurrentLinkedQueue<Conn> free = new ConcurrentLinkedQueue<>();
    /** Intended send times (ns) of requests that found no free connection. */
    private final ConcurrentLinkedQueue<long[]> backlog = new ConcurrentLinkedQueue<>();
    private volatile Histogram histogram;
    /** Worst latency from intended send per second of the run (by intended time), to see when stalls happen. */
    private volatile long[] worstPerSecond = new long[0];
    private volatile long runStartNs;
    private volatile Histogram service;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError;
    private volatile boolean closedLoop;
    /** Send {@code GET /fapi/v1/ping} instead of orders: answered on the event loop, without the pipeline. */
    private final boolean pings;
    /** Pace fixed-rate sends on the client's event loop ({@link Pacer}) rather than on a thread of their own. */
    private final boolean pacedOnLoop;

    GatewayLoad(Target server, boolean pings, boolean pacedOnLoop) {
        this.server = server;
        this.pings = pings;
        this.pacedOnLoop = pacedOnLoop;
    }

    /** The gateway under load: its port, its costs so far, and how to stop it. */
    interface Target extends AutoCloseable {
        int port();

        ServerStats stats();

        @Override
        void close();
    }

    /** The gateway in this JVM; its costs are those of every thread but the load generator's. */
    static Target inProcess(int connections, int ioThreads, PipelineConfig pipeline, Path journal)
        throws InterruptedException, IOException {
        final Gateway gateway = LoadServer.start(connections, ioThreads, pipeline, journal);
        return new Target() {
            @Override
            public int port() {
                return gateway.port();
            }

            @Override
            public ServerStats stats() {
                return ServerStats.read(name -> !name.equals("main") && !name.startsWith("load-"));
            }

            @Override
            public void close() {
                gateway.close();
            }
        };
    }

    /**
     * The gateway in a JVM of its own: the java of this JVM, the module flags this JVM was given (Chronicle's
     * exports and opens, analytics off), then {@code jvmOptions}, on this JVM's class path.
     */
    static Target process(List<String> jvmOptions, int connections, int ioThreads, PipelineConfig pipeline,
                          Path journal) throws IOException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-")
                || a.startsWith("-Dchronicle.")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName(),
            Integer.toString(connections), Integer.toString(ioThreads), pipeline.waitStrategy(),
            layout(pipeline)));
        if (journal != null) {
            cmd.add(journal.toString());
        }
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        final PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.US_ASCII);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
            System.out.println("server: " + line);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the server process ended before it served: " + String.join(" ", cmd));
        }
        final int port = Integer.parseInt(line.substring(6).trim());
        return new Target() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public ServerStats stats() {
                in.println("stats");
                try {
                    return ServerStats.parse(String.valueOf(out.readLine()));
                } catch (IOException e) {
                    throw new IllegalStateException("the server process did not answer: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                in.close(); // end of its input: it stops
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        };
    }

    /** The pipeline's layout by its option name: fused, split, or one-thread (the output stage on the engine thread). */
    static String layout(PipelineConfig p) {
        return p.outputOnEngineThread() ? "one-thread" : p.fuseJournalEngine() ? "fused" : "split";
    }

    /** The JVM options of {@code bin/perpcore serve}: {@code bin/serve-jvm.options} under {@code root}, if present. */
    static List<String> serveJvmOptions(Path root) {
        final Path file = root.resolve("bin").resolve("serve-jvm.options");
        return Files.isRegularFile(file) ? List.of("@" + file.toAbsolutePath()) : List.of();
    }

    /** The load generator's event loop; its thread is named so that in-process runs can tell it from the server's. */
    private static EventLoopGroup clientGroup() {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-client"),
            Transport.name().equals("epoll") ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * One keep-alive connection, one order in flight, trading for one account. It reads answers itself: the
     * header block up to the blank line (status code and Content-Length taken from it), then the body skipped
     * (kept only when the status is not 200, for the error report).
     */
    final class Conn extends ChannelInboundHandlerAdapter {
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

        final int index;
        final ApiKey signer;
        Channel channel;
        /** All of this connection's signed requests back to back, and where each one starts. */
        ByteBuf requests;
        int[] offsets;
        int next;
        long intendedNs;
        long sentNs;
        private final byte[] head = new byte[16 * 1024];
        private int headLength;
        private int status;
        private int bodyLeft = -1;
        private final StringBuilder errorBody = new StringBuilder();

        Conn(int index) {
            this.index = index;
            this.signer = new ApiKey(LoadServer.apiKey(index), LoadServer.secret(index), LoadServer.account(index),
                LoadServer.UNLIMITED);
        }

        /** Signs {@code n} orders (sell GTC, buy IOC, alternately) with one timestamp. */
        void prepare(int n, long timestampMs, int round) {
            release();
            final StringBuilder all = new StringBuilder(n * 420);
            offsets = new int[n + 1];
            next = 0;
            final String host = "127.0.0.1:" + server.port();
            for (int i = 0; i < n; i++) {
                if (pings) {
                    offsets[i] = all.length();
                    all.append("GET /fapi/v1/ping HTTP/1.1\r\nHost: ").append(host).append("\r\n\r\n");
                    continue;
                }
                final boolean sell = (i & 1) == 0;
                final String body = "symbol=BTCUSDT&side=" + (sell ? "SELL" : "BUY") + "&type=LIMIT&timeInForce="
                    + (sell ? "GTC" : "IOC") + "&quantity=0.001&price=100000&selfTradePreventionMode=NONE"
                    + "&newClientOrderId=r" + round + "c" + index + "n" + i + "&recvWindow=60000&timestamp=" + timestampMs;
                final String signed = body + "&signature=" + signer.sign(body);
                offsets[i] = all.length();
                all.append("POST /fapi/v1/order HTTP/1.1\r\nHost: ").append(host).append("\r\nX-MBX-APIKEY: ")
                    .append(signer.key())
                    .append("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                    .append(signed.length()).append("\r\n\r\n").append(signed);
            }
            offsets[n] = all.length();
            final byte[] bytes = all.toString().getBytes(StandardCharsets.US_ASCII);
            requests = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        }

        void release() {
            if (requests != null) {
                requests.release(); // the sends wrote retained slices of it
                requests = null;
            }
        }

        boolean hasNext() {
            return next < offsets.length - 1;
        }

        void send(long intended) {
            intendedNs = intended;
            sentNs = System.nanoTime();
            final int from = offsets[next];
            final int to = offsets[++next];
            channel.writeAndFlush(requests.retainedSlice(from, to - from), channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            final ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable()) {
                    if (bodyLeft < 0) {
                        readHead(in);
                    } else {
                        final int n = Math.min(bodyLeft, in.readableBytes());
                        if (status != 200) {
                            errorBody.append(in.toString(in.readerIndex(), n, StandardCharsets.UTF_8));
                        }
                        in.skipBytes(n);
                        bodyLeft -= n;
                    }
                    if (bodyLeft == 0) {
                        bodyLeft = -1;
                        answered(status);
                    }
                }
            } finally {
                in.release();
            }
        }

        /** Takes header bytes up to the blank line; then the status and the body's length are known. */
        private void readHead(ByteBuf in) {
            while (in.isReadable()) {
                if (headLength == head.length) {
                    throw new IllegalStateException("an answer's header is longer than " + head.length + " bytes");
                }
                head[headLength++] = in.readByte();
                if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                    && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                    status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
                    bodyLeft = contentLength();
                    headLength = 0;
                    errorBody.setLength(0);
                    return;
                }
            }
        }

        private int contentLength() {
            for (int line = 0; line < headLength; line++) {
                if (line == 0 || head[line - 1] == '\n') {
                    int i = 0;
                    while (i < CONTENT_LENGTH.length && line + i < headLength
                        && (head[line + i] | 0x20) == CONTENT_LENGTH[i]) {
                        i++;
                    }
                    if (i == CONTENT_LENGTH.length) {
                        int at = line + i;
                        while (head[at] == ' ') {
                            at++;
                        }
                        int n = 0;
                        while (head[at] >= '0' && head[at] <= '9') {
                            n = n * 10 + head[at++] - '0';
                        }
                        return n;
                    }
                }
            }
            throw new IllegalStateException("an answer without Content-Length");
        }

        private void answered(int code) {
            final long now = System.nanoTime();
            if (code != 200) {
                errors.incrementAndGet();
                lastError = code + " " + errorBody;
            }
            histogram.recordValue(Math.max(1, now - intendedNs));
            final int second = (int) ((intendedNs - runStartNs) / 1_000_000_000L);
            final long[] worst = worstPerSecond;
            if (second >= 0 && second < worst.length && now - intendedNs > worst[second]) {
                worst[second] = now - intendedNs;
            }
            service.recordValue(Math.max(1, now - sentNs));
            answered.incrementAndGet();
            if (!hasNext()) {
                return;
            }
            if (closedLoop) {
                send(System.nanoTime());
                return;
            }
            final long[] waiting = backlog.poll();
            if (waiting != null) {
                send(waiting[0]);
            } else {
                free.add(this);
            }
        }
    }

    void connect(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            final Conn c = new Conn(i);
            conns.add(c);
            final Bootstrap b = new Bootstrap().group(clientLoop).channel(Transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(c);
            c.channel = b.connect("127.0.0.1", server.port()).sync().channel();
        }
    }

    /** Fixed-rate run of {@code count} orders; returns the latency histogram from intended send times. */
    Result fixedRate(double rate, int count, int round) throws InterruptedException {
        prepare(count, round);
        free.clear();
        backlog.clear();
        free.addAll(conns);
        closedLoop = false;
        final long periodNs = (long) (1e9 / rate);
        final ServerStats before = server.stats();
        final long start = System.nanoTime() + 1_000_000;
        worstPerSecond = new long[(int) (count / rate) + 2];
        runStartNs = start;
        if (pacedOnLoop) {
            clientLoop.next().execute(new Pacer(start, periodNs, count));
            return await(count, start, before);
        }
        int sent = 0;
        while (sent < count) {
            // send everything that is due; then sleep briefly rather than spin: on a 2-core machine a spinning
            // load generator takes a core from the server it measures
            final long now = System.nanoTime();
            sent = sendDue(start, periodNs, sent, count, now);
            if (sent < count) {
                LockSupport.parkNanos(Math.min(50_000, start + sent * periodNs - System.nanoTime()));
            }
        }
        return await(count, start, before);
    }

    /** Sends the requests due by {@code now} from number {@code sent} on; returns how many are sent then. */
    private int sendDue(long start, long periodNs, int sent, int count, long now) {
        while (sent < count && start + sent * periodNs <= now) {
            final long intended = start + sent * periodNs;
            final Conn c = free.poll();
            if (c != null && c.hasNext()) {
                c.send(intended);
            } else {
                backlog.add(new long[] {intended});
            }
            sent++;
        }
        return sent;
    }

    /**
     * The fixed-rate sender as a task of the client's event loop: sends what is due, then schedules itself for
     * when the next request is due. Writes then happen on the loop that owns the connections, with no hand-off
     * from a sender thread (one wake-up fewer per request inside the measured latency).
     */
    private final class Pacer implements Runnable {
        private final long start;
        private final long periodNs;
        private final int count;
        private int sent;

        Pacer(long start, long periodNs, int count) {
            this.start = start;
            this.periodNs = periodNs;
            this.count = count;
        }

        @Override
        public void run() {
            sent = sendDue(start, periodNs, sent, count, System.nanoTime());
            if (sent < count) {
                clientLoop.next().schedule(this, start + sent * periodNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Closed loop: every connection keeps one order in flight; returns answered orders over the elapsed time. */
    Result sustained(int perConnection, int round) throws InterruptedException {
        final int per = prepare(perConnection * conns.size(), round, 1);
        worstPerSecond = new long[0];
        closedLoop = true;
        final ServerStats before = server.stats();
        final long start = System.nanoTime();
        for (Conn c : conns) {
            c.channel.eventLoop().execute(() -> c.send(System.nanoTime()));
        }
        return await(per * conns.size(), start, before);
    }

    private void prepare(int count, int round) {
        prepare(count, round, 2);
    }

    /** Signs about {@code count * spare / connections} orders per connection; returns how many each has. */
    private int prepare(int count, int round, int spare) {
        histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        service = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        answered.set(0);
        errors.set(0);
        final long ts = System.currentTimeMillis();
        int per = spare * ((count + conns.size() - 1) / conns.size()) + 2;
        per += per & 1;
        for (Conn c : conns) {
            c.prepare(per, ts, round);
        }
        return per;
    }

    private Result await(int count, long startNs, ServerStats before) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answered.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        final long end = System.nanoTime();
        if (answered.get() < count) {
            throw new IllegalStateException("only " + answered.get() + " of " + count + " orders answered in 120 s");
        }
        return new Result(histogram, service, count, errors.get(), lastError, (end - startNs) / 1e9,
            worstPerSecond.clone(), before, server.stats());
    }

    void close() {
        for (Conn c : conns) {
            c.channel.close();
            c.release();
        }
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close();
    }

    record Result(Histogram latency, Histogram service, int count, long errors, String lastError, double seconds,
                  long[] worstPerSecond, ServerStats serverBefore, ServerStats serverAfter) {
        String line(String what) {
            return String.format(Locale.ROOT, "%-28s %8d orders in %6.2f s = %8.0f orders/s, errors %d%n"
                    + "    from intended send: p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  p99.99 %8.1f us  max %8.1f us%n"
                    + "    from actual send:   p50 %8.1f us  p99 %8.1f us  p99.9 %8.1f us  max %8.1f us%n    %s",
                what, count, seconds, count / seconds, errors,
                us(latency, 50), us(latency, 99), us(latency, 99.9), us(latency, 99.99), latency.getMaxValue() / 1e3,
                us(service, 50), us(service, 99), us(service, 99.9), service.getMaxValue() / 1e3,
                serverBefore.perOrder(serverAfter, count))
                + (errors > 0 ? "\n    last error: " + lastError : "") + worst();
        }

        /** The worst latency of each second of a fixed-rate run, in ms. */
        private String worst() {
            if (worstPerSecond.length == 0) {
                return "";
            }
            final StringBuilder sb = new StringBuilder("\n    worst per second (ms):");
            for (long w : worstPerSecond) {
                sb.append(' ').append(String.format(Locale.ROOT, "%.1f", w / 1e6));
            }
            return sb.toString();
        }

        static double us(Histogram h, double p) {
            return h.getValueAtPercentile(p) / 1e3;
        }
    }

    public static void main(String[] argv) throws Exception {
        double rate = 10_000;
        int seconds = 10;
        int warmup = 5;
        int connections = 64;
        int sustainedSeconds = 10;
        int ioThreads = 1;
        PipelineConfig pipeline = PipelineConfig.DEFAULT;
        Path journal = null;
        boolean inProcess = false;
        boolean pings = false;
        boolean pacedOnLoop = true;
        List<String> serverJvm = serveJvmOptions(Path.of(System.getProperty("perpcore.root", ".")));
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--rate" -> rate = Double.parseDouble(argv[++i]);
                case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(argv[++i]);
                case "--connections" -> connections = Integer.parseInt(argv[++i]);
                case "--sustained-seconds" -> sustainedSeconds = Integer.parseInt(argv[++i]);
                case "--io-threads" -> ioThreads = Integer.parseInt(argv[++i]);
                case "--wait-strategy" -> pipeline = pipeline.withWaitStrategy(argv[++i]);
                case "--layout" -> {
                    final String layout = argv[++i];
                    pipeline = pipeline.withFused(!layout.equals("split"))
                        .withOutputOnEngineThread(layout.equals("one-thread"));
                }
                case "--journal" -> journal = Path.of(argv[++i]);
                case "--in-process" -> inProcess = true;
                case "--pings" -> pings = true;
                case "--sender" -> pacedOnLoop = switch (argv[++i]) {
                    case "loop" -> true;
                    case "thread" -> false;
                    default -> throw new IllegalArgumentException("--sender is loop or thread");
                };
                case "--server-jvm" -> serverJvm = argv[++i].isBlank() ? List.of() : List.of(argv[i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        System.out.printf(Locale.ROOT, "gateway load: %s, sender on the %s, %d connections, %d io threads (%s), wait %s, %s layout, journal %s;"
                + " server %s; java %s, %d cpus%n", pings ? "GET /fapi/v1/ping (no pipeline)" : "signed orders",
            pacedOnLoop ? "client's event loop" : "thread", connections, ioThreads, Transport.name(), pipeline.waitStrategy(),
            layout(pipeline), journal == null ? "off" : journal,
            inProcess ? "in this JVM" : "in its own JVM " + serverJvm, System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors());
        final Target server = inProcess ? inProcess(connections, ioThreads, pipeline, journal)
            : process(serverJvm, connections, ioThreads, pipeline, journal);
        final GatewayLoad load = new GatewayLoad(server, pings, pacedOnLoop);
        try {
            load.connect(connections);
            int round = 0;
            if (warmup > 0) {
                System.out.println(load.fixedRate(rate, (int) (rate * warmup), round++).line("warmup (discarded)"));
            }
            System.out.println(load.fixedRate(rate, (int) (rate * seconds), round++)
                .line(String.format(Locale.ROOT, "fixed rate %.0f/s", rate)));
            if (sustainedSeconds > 0) {
                final int per = Math.max(2, (int) (25_000.0 * sustainedSeconds / connections));
                System.out.println(load.sustained(per / 2, round++).line("sustained warmup (discarded)"));
                System.out.println(load.sustained(per, round++).line("sustained (closed loop)"));
            }
        } finally {
            load.close();
        }
        System.exit(0);
    }

    /** For tests: a small run at a low rate against {@code server}, returning its result. */
    static Result smoke(Target server, int connections, double rate, int count) throws InterruptedException {
        final GatewayLoad load = new GatewayLoad(server, false, true);
        try {
            load.connect(connections);
            return load.fixedRate(rate, count, 0);
        } finally {
            load.close();
        }
    }
}
