package org.perpcore.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * A cluster's configuration file (Java properties; {@code config/cluster.properties} is an example, docs/OPERATIONS.md
 * the reference): its members and where each keeps its files, the timeouts and the idle strategy. The same file
 * serves every node (which one is {@code member}, or {@code --member N}) and the gateway that connects as a client.
 *
 * <pre>
 *   members=0=127.0.0.1:20000,1=127.0.0.1:20100,2=127.0.0.1:20200   id=host:basePort, one per member
 *   dir=runs/cluster                 node N keeps DIR/node-N/{archive,cluster,journal}
 *   aeronDir=/dev/shm/perpcore       node N's media driver: AERONDIR-node-N; the gateway's: AERONDIR-client-PID
 * </pre>
 *
 * Each member uses five ports from its base: +1 archive control, +2 client ingress, +3 consensus, +4 log, +5
 * catch-up. Everything else has a default.
 *
 * @param members            the members, by id (0, 1, 2...)
 * @param memberId           this node's id, or -1 (a client)
 * @param dir                the directory under which each node keeps its files
 * @param aeronDir           prefix of the media drivers' directories (put it on /dev/shm)
 * @param journal            each node also writes a Chronicle journal of commands and events (post-mortems)
 * @param snapshotIntervalMs the leader takes a cluster snapshot this often (0: never automatically)
 * @param tickIntervalMs     log time between heartbeat ticks
 * @param historyBytes       memory each node keeps of recent events for gateways' resends
 * @param idle               idle strategy of every Aeron agent: backoff (default) or sleeping
 * @param heartbeatTimeoutMs a follower that hears nothing from the leader this long starts an election
 * @param electionTimeoutMs  how long one election round waits
 * @param startupCanvassMs   how long a starting node waits to hear from every other member before electing with a
 *                           majority
 * @param sessionTimeoutMs   a client session that sends nothing this long is closed
 */
public record ClusterConfig(List<Member> members, int memberId, Path dir, String aeronDir, boolean journal,
                            long snapshotIntervalMs, long tickIntervalMs, int historyBytes, String idle,
                            long heartbeatTimeoutMs, long electionTimeoutMs, long startupCanvassMs,
                            long sessionTimeoutMs) {
    public static final int ARCHIVE_OFFSET = 1;
    public static final int INGRESS_OFFSET = 2;
    public static final int CONSENSUS_OFFSET = 3;
    public static final int LOG_OFFSET = 4;
    public static final int CATCHUP_OFFSET = 5;

    private static final Set<String> KEYS = Set.of("members", "member", "dir", "aeronDir", "journal",
        "snapshotIntervalMs", "tickIntervalMs", "historyBytes", "idle", "heartbeatTimeoutMs", "electionTimeoutMs",
        "startupCanvassMs", "sessionTimeoutMs");

    /** One member: its id, host and base port. */
    public record Member(int id, String host, int basePort) {
        public int port(int offset) {
            return basePort + offset;
        }

        public String endpoint(int offset) {
            return host + ":" + port(offset);
        }
    }

    public ClusterConfig {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members: at least one member");
        }
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id() != i) {
                throw new IllegalArgumentException("members: ids must be 0, 1, 2... in order; found " + members.get(i).id()
                    + " at place " + i);
            }
        }
        if (memberId < -1 || memberId >= members.size()) {
            throw new IllegalArgumentException("member " + memberId + " is not one of the " + members.size()
                + " members");
        }
        if (!idle.equals("backoff") && !idle.equals("sleeping")) {
            throw new IllegalArgumentException("idle must be backoff or sleeping, not '" + idle + "'");
        }
        if (tickIntervalMs <= 0 || historyBytes < 1 << 16 || heartbeatTimeoutMs <= 0 || electionTimeoutMs <= 0
            || startupCanvassMs <= 0 || sessionTimeoutMs <= 0 || snapshotIntervalMs < 0) {
            throw new IllegalArgumentException("timeouts and intervals must be positive; historyBytes at least 65536");
        }
        if (startupCanvassMs % heartbeatTimeoutMs != 0) {
            throw new IllegalArgumentException("startupCanvassMs (" + startupCanvassMs
                + ") must be a multiple of heartbeatTimeoutMs (" + heartbeatTimeoutMs + "), as Aeron requires");
        }
    }

    /** Reads a configuration file; {@code memberOverride} (>= 0) replaces its {@code member}. */
    public static ClusterConfig load(Path file, int memberOverride) throws IOException {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(file + ": unknown key '" + k + "' (known: " + String.join(", ",
                    new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        try {
            return parse(p, memberOverride);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** From properties; a relative {@code dir} is taken relative to the working directory. */
    public static ClusterConfig parse(Properties p, int memberOverride) {
        final String m = p.getProperty("members");
        if (m == null || m.isBlank()) {
            throw new IllegalArgumentException("members is missing (e.g. members=0=127.0.0.1:20000,1=127.0.0.1:20100)");
        }
        final List<Member> members = new ArrayList<>();
        for (String part : m.split(",")) {
            final String s = part.trim();
            final int eq = s.indexOf('=');
            final int colon = s.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1) {
                throw new IllegalArgumentException("members: '" + s + "' is not id=host:basePort");
            }
            try {
                final int port = Integer.parseInt(s.substring(colon + 1));
                if (port <= 0 || port + CATCHUP_OFFSET > 65535) {
                    throw new NumberFormatException();
                }
                members.add(new Member(Integer.parseInt(s.substring(0, eq)), s.substring(eq + 1, colon), port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("members: '" + s + "' is not id=host:basePort");
            }
        }
        final int member = memberOverride >= 0 ? memberOverride : (int) number(p, "member", -1);
        final String dir = p.getProperty("dir", "runs/cluster");
        return new ClusterConfig(members, member, Path.of(dir), p.getProperty("aeronDir", defaultAeronDir()),
            bool(p, "journal", false), number(p, "snapshotIntervalMs", 60_000), number(p, "tickIntervalMs", 1000),
            (int) number(p, "historyBytes", 64L << 20), p.getProperty("idle", "backoff").trim().toLowerCase(Locale.ROOT),
            number(p, "heartbeatTimeoutMs", 2_000), number(p, "electionTimeoutMs", 1_000),
            number(p, "startupCanvassMs", 6_000), number(p, "sessionTimeoutMs", 10_000));
    }

    private static String defaultAeronDir() {
        return Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/perpcore" : System.getProperty("java.io.tmpdir")
            + "/perpcore";
    }

    private static long number(Properties p, String key, long dflt) {
        final String v = p.getProperty(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
        }
    }

    private static boolean bool(Properties p, String key, boolean dflt) {
        final String v = p.getProperty(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
        };
    }

    /** This node's member. */
    public Member self() {
        if (memberId < 0) {
            throw new IllegalStateException("no member id: give member=N in the file or --member N");
        }
        return members.get(memberId);
    }

    /** Aeron's cluster members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    public String clusterMembers() {
        final StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            sb.append(m.id()).append(',').append(m.endpoint(INGRESS_OFFSET)).append(',')
                .append(m.endpoint(CONSENSUS_OFFSET)).append(',').append(m.endpoint(LOG_OFFSET)).append(',')
                .append(m.endpoint(CATCHUP_OFFSET)).append(',').append(m.endpoint(ARCHIVE_OFFSET)).append('|');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** The AeronCluster client's ingress endpoints: {@code id=host:port,...}. */
    public String ingressEndpoints() {
        final StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            sb.append(m.id()).append('=').append(m.endpoint(INGRESS_OFFSET)).append(',');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** Node N's directory. */
    public Path nodeDir(int id) {
        return dir.resolve("node-" + id);
    }

    public ClusterConfig withMember(int id) {
        return new ClusterConfig(members, id, dir, aeronDir, journal, snapshotIntervalMs, tickIntervalMs,
            historyBytes, idle, heartbeatTimeoutMs, electionTimeoutMs, startupCanvassMs, sessionTimeoutMs);
    }

    public ClusterConfig withSnapshotInterval(long ms) {
        return new ClusterConfig(members, memberId, dir, aeronDir, journal, ms, tickIntervalMs, historyBytes, idle,
            heartbeatTimeoutMs, electionTimeoutMs, startupCanvassMs, sessionTimeoutMs);
    }
}
