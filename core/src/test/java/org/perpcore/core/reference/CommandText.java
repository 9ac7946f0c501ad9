package org.perpcore.core.reference;

import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.num.Decimal;

/**
 * One command as a line of text for failure reports, close to the scenario syntax ({@code docs/SCENARIO.md}) but
 * lossless: every field that is set is printed, names are quoted (they may hold illegal characters), decimals are
 * plain, and absent decimals are left out.
 */
final class CommandText {
    private CommandText() {
    }

    static String render(Command c) {
        final StringBuilder s = new StringBuilder(128);
        s.append("seq=").append(c.seq).append(" ts=").append(c.timestampMs).append(' ')
            .append(c.type == null ? "<no type>" : c.type.keyword());
        name(s, "account", c.account);
        name(s, "symbol", c.symbol);
        name(s, "clientId", c.clientId);
        if (c.orderId != 0) {
            s.append(" orderId=").append(c.orderId);
        }
        if (c.side != null) {
            s.append(' ').append(c.side.name().toLowerCase());
        }
        if (c.orderType != null) {
            s.append(' ').append(c.orderType.name().toLowerCase());
        }
        decimal(s, "qty", c.qtyE8);
        decimal(s, "price", c.priceE8);
        decimal(s, "amount", c.amountE8);
        if (c.timeInForce != null) {
            s.append(" tif=").append(c.timeInForce.name());
        }
        if (c.stpMode != null) {
            s.append(" stp=").append(c.stpMode.name());
        }
        if (c.reduceOnly) {
            s.append(" reduceOnly");
        }
        for (MarketParam p : MarketParam.values()) {
            if (c.has(p)) {
                s.append(' ').append(p.key()).append("=e8:").append(c.param(p));
            }
        }
        return s.toString();
    }

    private static void name(StringBuilder s, String key, Name name) {
        if (!name.isEmpty()) {
            s.append(' ').append(key).append("=\"").append(name).append('"');
        }
    }

    private static void decimal(StringBuilder s, String key, long e8) {
        if (e8 == Command.ABSENT) {
            return;
        }
        s.append(' ').append(key).append('=').append(Decimal.toPlain(e8));
    }
}
