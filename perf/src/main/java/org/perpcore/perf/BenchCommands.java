package org.perpcore.perf;

import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;

/** Fills a reused {@link Command} with the setup and tick commands the benchmarks' workloads are made of. */
public final class BenchCommands {
    private BenchCommands() {
    }

    public static void index(Command c, String symbol, long priceE8) {
        c.clear();
        c.type = CommandType.INDEX;
        c.symbol.set(symbol);
        c.priceE8 = priceE8;
    }

    public static void deposit(Command c, String account, long amountE8) {
        c.clear();
        c.type = CommandType.DEPOSIT;
        c.account.set(account);
        c.amountE8 = amountE8;
    }

    public static void leverage(Command c, String account, String symbol, int leverage) {
        c.clear();
        c.type = CommandType.LEVERAGE;
        c.account.set(account);
        c.symbol.set(symbol);
        c.leverage = leverage;
    }
}
