package org.perpcore.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    @Test
    void theExampleFileDescribesThreeMembersOnLoopback() throws Exception {
        final ClusterConfig c = ClusterConfig.load(Path.of("..", "config", "cluster.properties"), 1);
        assertEquals(3, c.members().size());
        assertEquals(1, c.memberId());
        assertEquals("127.0.0.1:20102", c.self().endpoint(ClusterConfig.INGRESS_OFFSET));
        assertEquals("0=127.0.0.1:20002,1=127.0.0.1:20102,2=127.0.0.1:20202", c.ingressEndpoints());
        assertEquals("0,127.0.0.1:20002,127.0.0.1:20003,127.0.0.1:20004,127.0.0.1:20005,127.0.0.1:20001|"
            + "1,127.0.0.1:20102,127.0.0.1:20103,127.0.0.1:20104,127.0.0.1:20105,127.0.0.1:20101|"
            + "2,127.0.0.1:20202,127.0.0.1:20203,127.0.0.1:20204,127.0.0.1:20205,127.0.0.1:20201",
            c.clusterMembers());
        assertEquals(Path.of("runs/cluster/node-1"), c.nodeDir(1));
    }

    @Test
    void badFilesAreRefusedWithTheReason() {
        assertMessage("members is missing", props());
        assertMessage("is not id=host:basePort", props("members", "0=127.0.0.1"));
        assertMessage("ids must be 0, 1, 2", props("members", "1=127.0.0.1:20000"));
        assertMessage("member 3 is not one of the 1 members", props("members", "0=h:20000", "member", "3"));
        assertMessage("idle must be backoff or sleeping", props("members", "0=h:20000", "idle", "spin"));
        assertMessage("must be a multiple of heartbeatTimeoutMs",
            props("members", "0=h:20000", "heartbeatTimeoutMs", "1000", "startupCanvassMs", "1500"));
        assertMessage("journal must be true or false", props("members", "0=h:20000", "journal", "yes"));
        assertMessage("tickIntervalMs must be a whole number", props("members", "0=h:20000", "tickIntervalMs", "1s"));
        assertThrows(IllegalStateException.class, () -> ClusterConfig.parse(props("members", "0=h:20000"), -1).self());
    }

    private static void assertMessage(String part, Properties p) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ClusterConfig.parse(p, -1));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static Properties props(String... kv) {
        final Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }
}
