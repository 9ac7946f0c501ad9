package org.perpcore.perf.gateway;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What the gateway's threads have cost so far: bytes allocated (HotSpot's per-thread counters, summed over the
 * live threads a filter accepts), CPU time of the whole process (every thread, GC and JIT included), and the
 * collections so far. Two readings around a phase give its cost; divided by the orders answered in it, its cost
 * per order.
 *
 * @param allocatedBytes bytes allocated by the accepted threads
 * @param cpuNanos       CPU time of the process (user + system)
 * @param collections    garbage collections of all collectors
 * @param collectionMs   their accumulated time (pauses and, for concurrent collectors, cycles)
 */
record ServerStats(long allocatedBytes, long cpuNanos, long collections, long collectionMs) {

    /** Reads the counters now, allocation summed over the threads whose names {@code threads} accepts. */
    static ServerStats read(Predicate<String> threads) {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && threads.test(t.getThreadName())) {
                final long bytes = mx.getThreadAllocatedBytes(t.getThreadId());
                if (bytes > 0) {
                    allocated += bytes;
                }
            }
        }
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new ServerStats(allocated, os.getProcessCpuTime(), count, ms);
    }

    /** The counters as one line ({@link #parse} reads it back): how a server process reports them. */
    String line() {
        return "stats " + allocatedBytes + " " + cpuNanos + " " + collections + " " + collectionMs;
    }

    static ServerStats parse(String line) {
        final String[] f = line.trim().split(" ");
        if (f.length != 5 || !f[0].equals("stats")) {
            throw new IllegalStateException("the server process answered '" + line + "' instead of its stats");
        }
        return new ServerStats(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
    }

    /** The cost of a phase that ended at {@code later}, per order of {@code orders}, as one line. */
    String perOrder(ServerStats later, long orders) {
        final double n = Math.max(1, orders);
        return String.format(Locale.ROOT, "server: %,.0f bytes allocated/order, %.1f us CPU/order (process), "
                + "%d collections (%d ms)",
            (later.allocatedBytes - allocatedBytes) / n, (later.cpuNanos - cpuNanos) / n / 1e3,
            later.collections - collections, later.collectionMs - collectionMs);
    }
}
