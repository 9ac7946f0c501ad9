package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * System test of the replicated engine, with real processes on loopback: {@code bin/perpcore cluster-demo} starts
 * three node JVMs and a gateway, trades through the gateway's signed REST API, and three times kills the leader
 * with SIGKILL under load, goes on with the new leader, and restarts the dead node, which restores its latest
 * cluster snapshot and catches up from the log while the load goes on. Afterwards every node must report the same
 * state hash at the same seq, every acknowledged order must be open in the replicated state (and the engine's
 * open-order count must equal the number acknowledged), and the demo's exit status must be 0. Bounded: the process
 * is killed after its deadline.
 */
class ClusterFailoverIT {
    private static final long DEADLINE_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void leaderKilledUnderLoadThreeTimesNothingAcknowledgedIsLostAndAllNodesAgree() throws Exception {
        final Path root = root();
        final Path out = tmp.resolve("out.txt");
        final ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("bin/perpcore").toString(), "cluster-demo",
            "--rounds", "3", "--phase-ms", "2000")).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile());
        pb.environment().put("PERPCORE_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        final Process p = pb.start();
        if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("cluster-demo did not end within " + DEADLINE_SECONDS + " s:\n" + Files.readString(out));
        }
        final String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("the three nodes agree"), text);
        assertTrue(text.contains("of which missing from the replicated state: 0"), text);
        assertEquals(3, count(text, "killed the leader, node \\d \\(SIGKILL\\)"), text);
        // trading went on with each new leader
        final Matcher more = Pattern.compile("round \\d: (\\d+) more orders acknowledged since").matcher(text);
        int rounds = 0;
        while (more.find()) {
            assertTrue(Long.parseLong(more.group(1)) > 0, "orders acknowledged after a kill:\n" + text);
            rounds++;
        }
        assertEquals(3, rounds, text);
        // each restarted node came back from a snapshot of its own and caught up from the log
        assertTrue(count(text, "restored from the cluster snapshot at seq=\\d+") >= 3, text);
        final Matcher node = Pattern.compile("node (\\d): seq=(\\d+) stateHash=([0-9a-f]{16}) openOrders=(\\d+)")
            .matcher(text);
        String hash = null;
        int nodes = 0;
        while (node.find()) {
            hash = hash == null ? node.group(3) : hash;
            assertEquals(hash, node.group(3), text);
            nodes++;
        }
        assertEquals(3, nodes, text);
        assertTrue(p.descendants().noneMatch(ProcessHandle::isAlive), "the demo left no process behind");
    }

    private static int count(String text, String regex) {
        final Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Path root() {
        final Path cwd = Path.of("").toAbsolutePath();
        for (Path dir : Stream.of(cwd, cwd.getParent()).filter(Objects::nonNull).toList()) {
            if (Files.isExecutable(dir.resolve("bin/perpcore"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bin/perpcore not found in " + cwd + " or its parent");
    }
}
