package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.perpcore.cluster.ClusterBus;
import org.perpcore.cluster.ClusterConfig;
import org.perpcore.gateway.Gateway;
import org.perpcore.gateway.GatewayConfig;
import org.perpcore.gateway.admin.AdminRouter;
import org.perpcore.gateway.binance.ApiKey;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.gateway.config.ConfigFile;
import org.perpcore.journal.JournalException;

/**
 * {@code perpcore serve [--config FILE] [--port P] [--admin-port Q] [--journal DIR [--on-corrupt stop|truncate]
 * [--durability mapped|sync] [--keep-snapshots K]] [--host H]}: the Binance USDⓈ-M-compatible gateway, until
 * interrupted; with {@code --cluster-client CLUSTER} in front of a replicated cluster rather than an engine of its
 * own. {@code serve --cluster CLUSTER [--member N]} runs a cluster node.
 *
 * <p>With a journal that already holds commands, the server restores it (engine state, read model, API keys) and
 * continues it; the configuration file's keys are added where missing, its commands are not run again.
 */
final class ServeCommand {
    private ServeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        if (args.option("cluster") != null) {
            return ClusterNodeCommand.run(args, out, err);
        }
        ClusterConfig cluster = null;
        if (args.option("cluster-client") != null) {
            try {
                cluster = ClusterConfig.load(Path.of(args.option("cluster-client")), -1);
            } catch (IOException | IllegalArgumentException e) {
                err.println("perpcore serve: " + e.getMessage());
                return 2;
            }
            if (args.option("journal") != null) {
                err.println("perpcore serve: --journal is a node's (journal=true in the cluster file), not the"
                    + " gateway's, with --cluster-client");
                return 2;
            }
        }
        GatewayConfig config = GatewayConfig.defaults();
        ConfigFile file = null;
        try {
            if (args.option("config") != null) {
                file = ConfigFile.load(Path.of(args.option("config")), config);
                config = file.server().withLimits(file.limits(), config.wsMessagesPerSecond());
            }
            config = config.withPipeline(Args.pipelineConfig(args));
            if (args.option("host") != null) {
                config = config.withHost(args.option("host"));
            }
            config = config.withPorts(port(args, "port", config.port()), port(args, "admin-port", config.adminPort()));
            if (args.option("journal") != null) {
                config = config.withJournal(Path.of(args.option("journal")))
                    .withJournalOptions(JournalArgs.options(args));
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("perpcore serve: " + e.getMessage());
            return 2;
        }
        String token = config.adminToken();
        if (token == null && config.adminPort() >= 0) {
            token = new org.perpcore.gateway.binance.ApiKeys().randomToken(32);
            config = config.withAdminToken(token);
        }
        final Gateway gateway;
        try {
            gateway = cluster == null ? Gateway.start(config) : startClusterGateway(config, cluster, err);
        } catch (JournalException e) {
            err.println("perpcore serve: journal " + config.journalDir() + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("perpcore serve: cannot start: " + e.getMessage());
            return 1;
        }
        if (gateway.journal() != null) {
            JournalCommand.report(gateway.journal(), err);
        }
        if (file != null) {
            final int status;
            try {
                status = configure(gateway, file, args.option("config"), err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gateway.close();
                return 1;
            }
            if (status != 0) {
                gateway.close();
                return status;
            }
        }
        final String host = config.host();
        out.println("perpcore serve: Binance USDⓈ-M API on http://" + host + ":" + gateway.port()
            + " (WebSocket ws://" + host + ":" + gateway.port() + "/ws)");
        if (gateway.adminPort() >= 0) {
            out.println("perpcore serve: admin API on http://" + host + ":" + gateway.adminPort()
                + " (Authorization: Bearer " + token + ")");
        }
        out.flush();
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stop.countDown();
        }, "perpcore-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Applies a configuration file to a started gateway: its API keys (added where the gateway does not have them;
     * a key the gateway's key file holds for another account or secret is an error), then its commands, unless the
     * gateway's journal already holds commands: those were applied when the journal was new, and running them again
     * would deposit twice.
     *
     * @return 0, or the exit status after printing why on {@code err}
     */
    static int configure(Gateway gateway, ConfigFile file, String name, PrintStream err) throws InterruptedException {
        final boolean restored = gateway.journal() != null && gateway.journal().nextSeq() > 1;
        try {
            for (String[] k : file.keys()) {
                final ApiKey kept = k[1] == null ? null : gateway.keys().get(k[1]);
                if (k[1] == null && restored && gateway.keys().all().stream().anyMatch(x -> x.account().equals(k[0]))) {
                    continue; // a random key, made when the journal was new and kept in its key file
                }
                if (kept == null) {
                    AdminRouter.newKey(gateway.keys(), k[0], k[1], k[2], file.limits());
                } else if (!kept.account().equals(k[0]) || (k[2] != null && !kept.secret().equals(k[2]))) {
                    err.println("perpcore serve: " + name + ": the API key " + k[1] + " is in " + ApiKeys.FILE
                        + " for another account or secret; remove one of the two");
                    return 2;
                }
            }
            if (restored) {
                err.println("perpcore serve: the journal continues at seq " + gateway.journal().nextSeq() + "; the"
                    + " configuration's markets, accounts and deposits were applied when it was created and are not"
                    + " applied again (change them through the admin API)");
                return 0;
            }
            final String applied = gateway.apply(file.lines(), 60_000);
            if (applied.startsWith("{\"code\"")) {
                err.println("perpcore serve: the configuration was refused by the engine: " + applied);
                return 2;
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("perpcore serve: " + name + ": " + e.getMessage());
            return 2;
        }
    }

    /**
     * The gateway as a client of a cluster: its commands go to the cluster's leader, its answers and streams come
     * from the events the cluster sends back once it committed and applied each command.
     */
    static Gateway startClusterGateway(GatewayConfig config, ClusterConfig cluster, PrintStream err) {
        final ClusterBus[] bus = new ClusterBus[1];
        final Gateway gateway = Gateway.start(config, output -> {
            bus[0] = ClusterBus.start(cluster, output, w -> {
                synchronized (err) {
                    err.println("perpcore gateway: " + w);
                }
            });
            return bus[0];
        });
        try {
            bus[0].awaitConnected(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gateway.close();
            throw new IllegalStateException("interrupted while connecting to the cluster");
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private static int port(Args args, String name, int dflt) {
        final String v = args.option(name);
        if (v == null) {
            return dflt;
        }
        try {
            final int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number (0-65535), not '" + v + "'");
        }
    }
}
