package org.perpcore.perf.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark threads per operation ({@code -prof org.perpcore.perf.jmh.CpuTimeProfiler}): the
 * thread CPU time of JMH's worker threads over an iteration, divided by the operations it measured.
 *
 * <p>Why: this machine has two cores shared with other sessions' builds, so the benchmark thread is often
 * descheduled, and a throughput figure then counts the time it waited for a core. CPU time leaves those waits
 * out (not the cache lines other processes evict, which still show). It is the figure to compare two versions of
 * the code by when the machine is busy; throughput stays the headline figure. An iteration's CPU time includes
 * its iteration-level setup and teardown (the mix's steady-state check applies one cycle, under 1 % of an
 * iteration), so it reads slightly above the cost of one operation.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long startCpuNs;
    private long startWallNs;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark's worker threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startWallNs = System.nanoTime();
        startCpuNs = workerCpuNs();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        final long cpuNs = workerCpuNs() - startCpuNs;
        final long wallNs = System.nanoTime() - startWallNs;
        final long ops = result.getMetadata() == null ? 0 : result.getMetadata().getMeasuredOps();
        final double perOp = ops == 0 || startCpuNs < 0 ? Double.NaN : (double) cpuNs / ops;
        final double share = wallNs == 0 ? Double.NaN : 100.0 * cpuNs / wallNs;
        return List.of(
            new ScalarResult("cpu.ns/op", perOp, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("cpu.share", share, "%", AggregationPolicy.AVG));
    }

    /** Sum of the CPU time of the live JMH worker threads; -1 when there are none yet. */
    private long workerCpuNs() {
        long sum = 0;
        boolean found = false;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            final Thread t = e.getKey();
            if (t.getName().contains("jmh-worker")) {
                final long ns = threads.getThreadCpuTime(t.getId());
                if (ns >= 0) {
                    sum += ns;
                    found = true;
                }
            }
        }
        return found ? sum : -1;
    }
}
