package org.perpcore.core.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/** Wait strategies by name, for configuration and command lines. */
public final class WaitStrategies {
    /**
     * The default. On a 2-core machine busy-spinning stage threads starve each other and the producers; sleeping
     * spins briefly, then yields, then parks for short intervals: near-yielding latency under load and an idle CPU
     * when there is no traffic.
     */
    public static final String DEFAULT = "sleeping";

    public static final String[] NAMES = {"blocking", "sleeping", "yielding", "busy-spin"};

    private WaitStrategies() {
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static WaitStrategy create(String name) {
        return switch (name) {
            case "blocking" -> new BlockingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "'; use one of " + String.join(", ", NAMES));
        };
    }
}
