package org.perpcore.gateway;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.gateway.binance.ApiKey;
import org.perpcore.journal.JournalOptions;

/**
 * How a gateway runs.
 *
 * @param host                 address both servers bind (loopback by default: a test exchange is not public)
 * @param port                 Binance API port (0: any free port)
 * @param adminPort            admin API port (0: any free port; -1: no admin API)
 * @param adminToken           the admin API's bearer token
 * @param journalDir           where to journal commands and events, and keep the API keys (null: no journal; keys
 *                             in memory only)
 * @param journalOptions       how the journal is opened (durability, damage, snapshots kept)
 * @param pipeline             ring and threads of the pipeline
 * @param clockMs              the clock that stamps every command at ingress (the engine reads none)
 * @param heartbeatMs          period of the tick command that lets time-driven work run (0: none)
 * @param ioThreads            Netty event loop threads serving connections
 * @param defaultLimits        rate limits of keys that do not set their own
 * @param wsMessagesPerSecond  incoming WebSocket messages allowed per connection and second (Binance: 10)
 */
public record GatewayConfig(String host, int port, int adminPort, String adminToken, Path journalDir,
                            JournalOptions journalOptions, PipelineConfig pipeline, LongSupplier clockMs,
                            long heartbeatMs, int ioThreads, ApiKey.RateLimits defaultLimits,
                            int wsMessagesPerSecond) {

    public static GatewayConfig defaults() {
        return new GatewayConfig("127.0.0.1", 8080, 8081, null, null, JournalOptions.DEFAULT, PipelineConfig.DEFAULT,
            System::currentTimeMillis, 1000, 1, ApiKey.RateLimits.BINANCE, 10);
    }

    public GatewayConfig withPorts(int port, int adminPort) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, journalOptions, pipeline, clockMs,
            heartbeatMs, ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withHost(String h) {
        return new GatewayConfig(h, port, adminPort, adminToken, journalDir, journalOptions, pipeline, clockMs,
            heartbeatMs, ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withAdminToken(String token) {
        return new GatewayConfig(host, port, adminPort, token, journalDir, journalOptions, pipeline, clockMs,
            heartbeatMs, ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withJournal(Path dir) {
        return new GatewayConfig(host, port, adminPort, adminToken, dir, journalOptions, pipeline, clockMs, heartbeatMs,
            ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withJournalOptions(JournalOptions o) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, o, pipeline, clockMs, heartbeatMs,
            ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withPipeline(PipelineConfig p) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, journalOptions, p, clockMs, heartbeatMs,
            ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withClock(LongSupplier clock, long heartbeat) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, journalOptions, pipeline, clock,
            heartbeat, ioThreads, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withIoThreads(int n) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, journalOptions, pipeline, clockMs,
            heartbeatMs, n, defaultLimits, wsMessagesPerSecond);
    }

    public GatewayConfig withLimits(ApiKey.RateLimits limits, int wsPerSecond) {
        return new GatewayConfig(host, port, adminPort, adminToken, journalDir, journalOptions, pipeline, clockMs,
            heartbeatMs, ioThreads, limits, wsPerSecond);
    }
}
