package org.perpcore.perf.bench;

/** The latency paths the bench measures; the key names them in summary.json and the compare output. */
enum BenchPath {
    ORDER_ACK("order_ack", "order -> ack",
        "intended send time of a background command to the output stage receiving its events"),
    TICK_LIQUIDATION("tick_liquidation_order", "mark tick -> liquidation order",
        "intended send time of a mark tick that liquidates to the end of its application on the engine thread, when"
            + " its liquidation orders exist (the engine has no clock: the first one is no later than this)"),
    TICK_CASCADE("tick_cascade_end", "mark tick -> cascade end",
        "intended send time of a mark tick that liquidates to the output stage receiving the last event of its"
            + " cascade (book fills, fund, ADL)"),
    TICK_QUIET("tick_no_liquidation", "mark tick, nobody liquidated",
        "intended send time of a mark tick that crosses nobody to the output stage receiving its events"),
    LIQUIDATION_COST("liquidation_cost", "cost per liquidation",
        "engine time of a liquidating tick divided by the accounts it liquidated, counted once per liquidated account"),
    TICK_ENGINE_ADL("tick_engine_adl", "engine time, tick reaching ADL",
        "engine time of a liquidating tick whose cascade auto-deleveraged (from the later of its journal append and"
            + " the end of the engine's previous command to the end of its application: no queueing)"),
    TICK_ENGINE_NO_ADL("tick_engine_no_adl", "engine time, tick without ADL",
        "engine time of a liquidating tick closed by the book and the fund alone (measured as the ADL ticks')"),
    ENGINE_ORDER("engine_order", "engine time, background command",
        "engine time of a background command (measured as the ticks'): the order -> ack path less its queueing,"
            + " journals and output");

    private final String key;
    private final String title;
    private final String description;

    BenchPath(String key, String title, String description) {
        this.key = key;
        this.title = title;
        this.description = description;
    }

    String key() {
        return key;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    String file() {
        return key.replace('_', '-') + ".hlog";
    }
}
