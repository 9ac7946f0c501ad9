package org.perpcore.gateway;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import java.util.function.Function;
import org.perpcore.core.pipeline.CommandBus;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineBus;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.gateway.http.BinanceRouter;
import org.perpcore.gateway.http.HttpServer;
import org.perpcore.gateway.ws.StreamHub;
import org.perpcore.gateway.ws.WsUpgrade;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournaledEngine;

/**
 * The Binance USDⓈ-M-compatible front door: a Netty server for the REST API and WebSocket streams, an admin
 * server, and the one command bus that every connection's commands go through: the pipeline (journal → engine →
 * output) in this process, or a replicated cluster ({@link #start(GatewayConfig, Function)}). Start with
 * {@link #start}; {@link #close} drains the bus and stops the servers.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayConfig config;
    private final ApiKeys keys;
    private final StreamHub hub = new StreamHub();
    /** The journal the pipeline writes (null: none, or a cluster's). */
    private final JournaledEngine journal;
    private final CommandBus bus;
    private final Ingress ingress;
    private final GatewayOutput output;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final HttpServer api;
    private final HttpServer admin;
    private final ScheduledFuture<?> heartbeat;

    private Gateway(GatewayConfig config, Function<OutputStage, CommandBus> busFactory, JournaledEngine journal,
                    ApiKeys keys) {
        this.config = config;
        this.journal = journal;
        this.keys = keys;
        final Pendings pendings = new Pendings();
        this.output = new GatewayOutput(hub, pendings, keys);
        if (journal != null) {
            output.attach(journal); // the read model of the restored state, from the journaled events
        }
        this.bus = busFactory.apply(output);
        this.ingress = new Ingress(bus, config.clockMs(), pendings);
        this.boss = org.perpcore.gateway.http.Transport.group(1);
        this.workers = org.perpcore.gateway.http.Transport.group(config.ioThreads());
        final WsUpgrade ws = new WsUpgrade(hub, keys, config.clockMs(), config.wsMessagesPerSecond());
        HttpServer bound = null;
        try {
            bound = new HttpServer(boss, workers, config.host(), config.port(), new BinanceRouter(ingress, keys, ws));
            this.admin = config.adminPort() < 0 ? null : new HttpServer(boss, workers, config.host(),
                config.adminPort(), new AdminRouter(ingress, keys, config.adminToken(), config.defaultLimits(),
                journal != null));
        } catch (RuntimeException e) {
            // a port in use: stop what started, so that the caller may release the journal
            if (bound != null) {
                bound.close();
            }
            bus.close();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        this.api = bound;
        this.heartbeat = config.heartbeatMs() <= 0 || bus.ticksItself() ? null : workers.next().scheduleAtFixedRate(this::tick,
            config.heartbeatMs(), config.heartbeatMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Binds the servers and starts the pipeline. With a journal directory ({@link GatewayConfig#journalDir}) the
     * engine is the journal's ({@link JournaledEngine#open}: an existing journal is restored, latest snapshot +
     * tail, a damaged one refused or cut back as {@link GatewayConfig#journalOptions} say), the read model is
     * rebuilt from the journaled events, the API keys come from {@code DIR/api-keys.json}, and the pipeline
     * continues the journal.
     *
     * @throws JournalException when the journal cannot be opened (damaged, in use)
     * @throws IllegalStateException when the key file cannot be read
     */
    public static Gateway start(GatewayConfig config) {
        final Path dir = config.journalDir();
        if (dir == null) {
            return new Gateway(config, out -> new PipelineBus(new Pipeline(new Engine(), config.pipeline(),
                CommandStage.NONE, out)), null, new ApiKeys());
        }
        final JournaledEngine journal = JournaledEngine.open(dir, config.journalOptions(),
            w -> System.err.println("perpcore gateway: " + w));
        try {
            final ApiKeys keys = ApiKeys.persistent(dir.resolve(ApiKeys.FILE));
            return new Gateway(config, out -> new PipelineBus(journal.startPipeline(config.pipeline(), out)), journal,
                keys);
        } catch (IOException e) {
            journal.close();
            throw new IllegalStateException("the API keys cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Binds the servers in front of the bus that {@code busFactory} builds around the gateway's output stage (a
     * cluster client): the one seam between the gateway and whatever hosts the engine.
     */
    public static Gateway start(GatewayConfig config, Function<OutputStage, CommandBus> busFactory) {
        return new Gateway(config, busFactory, null, new ApiKeys());
    }

    /** The journal the pipeline writes, or null (none, or the engine is a cluster's). */
    public JournaledEngine journal() {
        return journal;
    }

    /** The one-second tick (also called by tests whose clock is manual): lets funding, mark averaging and halts run when no other command arrives. */
    void tick() {
        if (bus.failure() != null) {
            return;
        }
        final Command c = ingress.command(CommandType.TICK);
        ingress.submit(c, null);
    }

    public int port() {
        return api.port();
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public ApiKeys keys() {
        return keys;
    }

    public Ingress ingress() {
        return ingress;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The bus's failure (an engine bug stops it), or null. */
    public Throwable failure() {
        return bus.failure();
    }

    /** Waits until every command published so far has come out of the output stage. */
    public void awaitQuiet(long timeoutMs) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(1);
        final Pending p = new Pending(Pending.Route.BARRIER, (s, j) -> { });
        p.done = done;
        ingress.read(p);
        if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the pipeline did not answer within " + timeoutMs + " ms");
        }
    }

    /**
     * Applies scenario command lines (a configuration) through the pipeline and waits for the engine: returns the
     * admin answer ({@code {"events":[...]}}, with {@code code} and {@code msg} when the engine refused one).
     */
    public String apply(java.util.List<String> lines, long timeoutMs) throws InterruptedException {
        final java.util.concurrent.CompletableFuture<String> answer = new java.util.concurrent.CompletableFuture<>();
        final org.perpcore.core.scenario.ScenarioParser parser = new org.perpcore.core.scenario.ScenarioParser();
        final java.util.List<Command> commands = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final Command c = new Command();
            try {
                if (parser.parse(lines.get(i), i + 1, c)) {
                    commands.add(c);
                }
            } catch (org.perpcore.core.scenario.ScenarioException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (commands.isEmpty()) {
            return "{\"events\":[]}";
        }
        final Pending p = new Pending(Pending.Route.ADMIN, (status, json) -> answer.complete(json.toString()));
        p.remaining = commands.size();
        for (Command c : commands) {
            ingress.submit(ingress.stamp(c), p);
        }
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the pipeline did not apply the configuration within " + timeoutMs + " ms");
        }
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        api.close();
        if (admin != null) {
            admin.close();
        }
        bus.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (journal != null) {
            journal.close(); // after the pipeline drained: releases the journal's lock
        }
    }
}
