package org.perpcore.gateway.cli;

import io.aeron.cluster.service.Cluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.perpcore.cluster.ClusterConfig;
import org.perpcore.cluster.ClusterNode;
import org.perpcore.cluster.EngineService;

/**
 * {@code perpcore serve --cluster CONFIG [--member N]}: one member of a replicated Perpcore cluster, until
 * interrupted. It prints one line per event worth knowing (role changes, snapshots, a restore, and the state hash at
 * every QUERY_STATE command, which every member applies at the same seq), flushed at once so that a supervisor
 * (cluster-demo, the system test, an operator's log) can follow it.
 */
final class ClusterNodeCommand {
    private ClusterNodeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final ClusterConfig config;
        try {
            config = ClusterConfig.load(Path.of(args.option("cluster")), member(args));
            config.self();
        } catch (IOException | RuntimeException e) {
            err.println("perpcore serve --cluster: " + e.getMessage());
            return 2;
        }
        final int id = config.memberId();
        final String me = "perpcore node " + id + ": ";
        final EngineService.Observer observer = new EngineService.Observer() {
            @Override
            public void onState(long seq, long stateHash, int openOrders) {
                line(out, me + "state seq=" + seq + " stateHash=" + String.format("%016x", stateHash)
                    + " openOrders=" + openOrders);
            }

            @Override
            public void onRoleChange(Cluster.Role role) {
                line(out, me + "role " + role);
            }

            @Override
            public void onSnapshot(long seq, long stateHash) {
                line(out, me + "snapshot seq=" + seq + " stateHash=" + String.format("%016x", stateHash));
            }

            @Override
            public void onRestored(long seq, long stateHash) {
                line(out, me + "restored from the cluster snapshot at seq=" + seq + " stateHash="
                    + String.format("%016x", stateHash) + "; replaying the log after it");
            }

            @Override
            public void onStartFailed(Throwable t) {
                line(err, me + "the service cannot start: " + t);
            }
        };
        final ClusterNode node;
        try {
            node = ClusterNode.launch(config, observer, w -> line(err, me + w));
        } catch (RuntimeException e) {
            err.println(me + "cannot start: " + e.getMessage());
            return 1;
        }
        line(out, me + "started (member " + id + " of " + config.members().size() + ", ingress "
            + config.self().endpoint(ClusterConfig.INGRESS_OFFSET) + ", files " + config.nodeDir(id)
            + (config.journal() ? ", journal on" : "") + ")");
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stop.countDown();
        }, "perpcore-node-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int member(Args args) {
        final String m = args.option("member");
        if (m == null) {
            return -1;
        }
        try {
            return Integer.parseInt(m);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--member must be a member id, not '" + m + "'");
        }
    }

    private static void line(PrintStream s, String text) {
        synchronized (s) {
            s.println(text);
            s.flush();
        }
    }
}
