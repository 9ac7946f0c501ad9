package org.perpcore.perf.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.perpcore.core.pipeline.PipelineConfig;

/** The load harness itself works: every signed order it sends is accepted and answered (no timing asserted). */
class GatewayLoadTest {
    @Test
    void everyOrderIsAnsweredWithoutErrorInProcess() throws Exception {
        final GatewayLoad.Result r = GatewayLoad.smoke(GatewayLoad.inProcess(8, 1, PipelineConfig.DEFAULT, null),
            8, 2000, 2000);
        assertEquals(2000, r.count());
        assertEquals(0, r.errors(), r.lastError());
        assertEquals(2000, r.latency().getTotalCount());
        assertWorked(r);
    }

    @Test
    void theServerInItsOwnJvmAnswersAndReportsItsCost() throws Exception {
        final GatewayLoad.Result r = GatewayLoad.smoke(
            GatewayLoad.process(List.of("-Xmx256m"), 4, 1, PipelineConfig.DEFAULT, null), 4, 1000, 500);
        assertEquals(0, r.errors(), r.lastError());
        assertEquals(500, r.latency().getTotalCount());
        assertWorked(r);
    }

    /** The server's counters moved during the phase: its threads allocated and its process used CPU. */
    private static void assertWorked(GatewayLoad.Result r) {
        assertTrue(r.serverAfter().allocatedBytes() > r.serverBefore().allocatedBytes(), r.serverAfter().toString());
        assertTrue(r.serverAfter().cpuNanos() > r.serverBefore().cpuNanos(), r.serverAfter().toString());
    }
}
