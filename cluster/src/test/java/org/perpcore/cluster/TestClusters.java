package org.perpcore.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Cluster configurations for tests: loopback, free ports, unique directories, short timeouts. */
final class TestClusters {
    private TestClusters() {
    }

    /** A base port whose five ports (UDP) are free now, for each of {@code n} members; as a members string. */
    static String freeMembers(int n) {
        final StringBuilder sb = new StringBuilder();
        int id = 0;
        while (id < n) {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(400) * 100;
            if (free(base)) {
                sb.append(id == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(base);
                id++;
            }
        }
        return sb.toString();
    }

    private static boolean free(int base) {
        for (int p = base + 1; p <= base + ClusterConfig.CATCHUP_OFFSET; p++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                s.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Properties of a test cluster of {@code n} members under {@code dir}. */
    static Properties properties(int n, Path dir, boolean journal) {
        final Properties p = new Properties();
        p.setProperty("members", freeMembers(n));
        p.setProperty("dir", dir.toString());
        p.setProperty("aeronDir", "/dev/shm/perpcore-test-" + ProcessHandle.current().pid() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL));
        p.setProperty("journal", Boolean.toString(journal));
        p.setProperty("snapshotIntervalMs", "0");
        p.setProperty("heartbeatTimeoutMs", "1000");
        p.setProperty("electionTimeoutMs", "500");
        p.setProperty("startupCanvassMs", "2000");
        p.setProperty("sessionTimeoutMs", "5000");
        p.setProperty("historyBytes", Integer.toString(8 << 20));
        return p;
    }

    static Path newDir(String name) throws IOException {
        final Path root = Path.of("target", "cluster-tests");
        Files.createDirectories(root);
        return Files.createTempDirectory(root, name + "-").toAbsolutePath();
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
