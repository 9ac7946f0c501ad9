package org.perpcore.perf.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The load harness itself works: every signed order it sends is accepted and answered (no timing asserted). */
class GatewayLoadTest {
    @Test
    void everyOrderIsAnsweredWithoutError() throws Exception {
        final GatewayLoad.Result r = GatewayLoad.smoke(8, 2000, 2000);
        assertEquals(2000, r.count());
        assertEquals(0, r.errors(), r.lastError());
        assertEquals(2000, r.latency().getTotalCount());
    }
}
