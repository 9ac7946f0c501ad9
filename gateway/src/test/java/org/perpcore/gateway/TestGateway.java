package org.perpcore.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiKey;

/**
 * A gateway on loopback with ephemeral ports for tests, a controllable clock (frozen unless advanced: no
 * heartbeat, so nothing happens that the test did not send), and a java.net.http client that signs requests as
 * Binance clients do.
 */
public final class TestGateway implements AutoCloseable {
    public static final String TOKEN = "test-token";
    public static final long START_MS = 1_760_126_400_000L; // 2025-10-10T20:00:00Z

    public final AtomicLong clock = new AtomicLong(START_MS);
    public final Gateway gateway;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestGateway(ApiKey.RateLimits limits, int wsPerSecond) {
        gateway = Gateway.start(GatewayConfig.defaults().withPorts(0, 0).withAdminToken(TOKEN)
            .withClock(clock::get, 0).withLimits(limits, wsPerSecond));
    }

    public TestGateway() {
        this(ApiKey.RateLimits.BINANCE, 10);
    }

    /** A gateway journaling to {@code journal} (restoring what it holds), its clock frozen at {@code startMs}. */
    public TestGateway(java.nio.file.Path journal, long startMs) {
        clock.set(startMs);
        gateway = Gateway.start(GatewayConfig.defaults().withPorts(0, 0).withAdminToken(TOKEN)
            .withClock(clock::get, 0).withJournal(journal));
    }

    /** Markets BTCUSDT (tick 0.1, step 0.001) and ETHUSDT, a maker with a two-sided book, and a trader "alice". */
    public static final List<String> SETUP = List.of(
        "market BTCUSDT tick=0.1 step=0.001 minQty=0.001 maxQty=1000 minNotional=5 makerFee=0.0002 takerFee=0.0005"
            + " maxLeverage=125",
        "bracket BTCUSDT 0 0.004 125",
        "bracket BTCUSDT 50000 0.005 100",
        "market ETHUSDT tick=0.01 step=0.001 makerFee=0.0002 takerFee=0.0005",
        "index BTCUSDT 100000",
        "index ETHUSDT 4000",
        "insurance BTCUSDT 100000",
        "deposit maker 10000000",
        "deposit alice 10000",
        "order maker BTCUSDT sell limit 1 100100 id=ask1",
        "order maker BTCUSDT sell limit 2 100200 id=ask2",
        "order maker BTCUSDT buy limit 1 99900 id=bid1",
        "order maker BTCUSDT buy limit 2 99800 id=bid2");

    public static final String ALICE_KEY = "aliceKey0000000000000000000000000000000000000000000000000000000";
    public static final String ALICE_SECRET = "aliceSecret000000000000000000000000000000000000000000000000000";
    public static final String BOB_KEY = "bobKey00000000000000000000000000000000000000000000000000000000";
    public static final String BOB_SECRET = "bobSecret0000000000000000000000000000000000000000000000000000";

    /** The standard setup with keys for alice and for bob (who has no deposit). */
    public static TestGateway standard() throws InterruptedException {
        final TestGateway t = new TestGateway();
        t.setup(SETUP);
        t.key("alice", ALICE_KEY, ALICE_SECRET);
        t.key("bob", BOB_KEY, BOB_SECRET);
        return t;
    }

    public String setup(List<String> lines) throws InterruptedException {
        return gateway.apply(lines, 10_000);
    }

    public ApiKey key(String account, String key, String secret) {
        return AdminRouter.newKey(gateway.keys(), account, key, secret, gateway.config().defaultLimits());
    }

    public String base() {
        return "http://127.0.0.1:" + gateway.port();
    }

    public String adminBase() {
        return "http://127.0.0.1:" + gateway.adminPort();
    }

    /** A response: status and body. */
    public record Res(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Res send(HttpRequest req) {
        try {
            final HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Res(r.statusCode(), r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Res get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET()
            .build());
    }

    /** A signed request: {@code params} plus timestamp (the gateway clock), signed with the secret. */
    public Res signed(String method, String path, String params, String key, String secret) {
        final String query = (params.isEmpty() ? "" : params + "&") + "timestamp=" + clock.get();
        final String signature = new ApiKey("x", secret, "x", ApiKey.RateLimits.BINANCE).sign(query);
        return raw(method, path, query + "&signature=" + signature, key, method.equals("POST") || method.equals("PUT"));
    }

    public Res alice(String method, String path, String params) {
        return signed(method, path, params, ALICE_KEY, ALICE_SECRET);
    }

    /** Sends {@code query} in the URL, or as a form body when {@code inBody}. */
    public Res raw(String method, String path, String query, String key, boolean inBody) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path + (inBody ? "" : "?" + query)))
            .timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("X-MBX-APIKEY", key);
        }
        if (inBody) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(query));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b.build());
    }

    public Res admin(String method, String path, String json) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminBase() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    /** The engine's state hash, through the admin API. */
    public String stateHash() {
        final Res r = admin("GET", "/admin/state", null);
        final int i = r.body().indexOf("\"stateHash\":\"");
        return r.body().substring(i + 13, i + 29);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
