package org.perpcore.core.scenario;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.num.Fixed;

/**
 * Parses scenario scripts ({@code docs/SCENARIO.md}, the stable contract) into engine commands, one line at a
 * time. It keeps the script's clock: {@code time} sets it, {@code advance} moves it and produces a TICK command,
 * and every command is stamped with it. A line that cannot be parsed raises a {@link ScenarioException}
 * ({@code line N: why}) and leaves the clock as it was.
 */
public final class ScenarioParser {
    private long clockMs;
    private final List<String> tokens = new ArrayList<>();

    /** The script clock (ms since the epoch). */
    public long clockMs() {
        return clockMs;
    }

    /**
     * Parses one line.
     *
     * @return true when the line produced a command (filled into {@code into}); false for blank, comment and
     * clock-only lines
     */
    public boolean parse(String line, int lineNumber, Command into) throws ScenarioException {
        tokenize(line);
        if (tokens.isEmpty()) {
            return false;
        }
        into.clear();
        final Line l = new Line(lineNumber);
        final String keyword = tokens.get(0);
        switch (keyword) {
            case "time" -> {
                l.positional(1, "time TIMESTAMP");
                final long t = l.timestamp(tokens.get(1));
                if (t < clockMs) {
                    throw l.error("time may only move forward (" + tokens.get(1) + " is before the clock, "
                        + Instant.ofEpochMilli(clockMs) + ")");
                }
                l.noOptions();
                clockMs = t;
                return false;
            }
            case "advance" -> {
                l.positional(1, "advance DURATION");
                final long d = l.duration(tokens.get(1));
                l.noOptions();
                clockMs += d;
                into.type = CommandType.TICK;
            }
            case "market" -> parseMarket(l, into);
            case "deposit", "withdraw" -> {
                l.positional(2, keyword + " ACCOUNT AMOUNT");
                into.type = keyword.equals("deposit") ? CommandType.DEPOSIT : CommandType.WITHDRAW;
                l.name(into.account, tokens.get(1), "account");
                into.amountE8 = l.decimal(tokens.get(2), "amount");
                l.noOptions();
            }
            case "order" -> parseOrder(l, into);
            case "cancel", "amend" -> {
                into.type = keyword.equals("cancel") ? CommandType.CANCEL_ORDER : CommandType.AMEND_ORDER;
                final String usage = keyword + " ACCOUNT SYMBOL [CLIENTID] [orderId=N]"
                    + (keyword.equals("amend") ? " [qty=Q] [price=P]" : "");
                final int n = l.positionalCount();
                if (n < 2 || n > 3) {
                    throw l.error("expected: " + usage);
                }
                l.name(into.account, tokens.get(1), "account");
                l.name(into.symbol, tokens.get(2), "symbol");
                if (n == 3) {
                    l.name(into.clientId, tokens.get(3), "client order id");
                }
                final String orderId = l.option("orderId");
                if (orderId != null) {
                    into.orderId = l.positiveLong(orderId, "orderId");
                }
                if (into.type == CommandType.AMEND_ORDER) {
                    final String qty = l.option("qty");
                    final String price = l.option("price");
                    if (qty == null && price == null) {
                        throw l.error("amend needs qty= or price=");
                    }
                    if (qty != null) {
                        into.qtyE8 = l.decimal(qty, "qty");
                    }
                    if (price != null) {
                        into.priceE8 = l.decimal(price, "price");
                    }
                }
                if (n == 2 && into.orderId == 0) {
                    throw l.error("expected: " + usage + " (name the order by client id or orderId=)");
                }
                l.noOptions();
            }
            case "cancel-all" -> {
                l.positional(2, "cancel-all ACCOUNT SYMBOL");
                into.type = CommandType.CANCEL_ALL;
                l.name(into.account, tokens.get(1), "account");
                l.name(into.symbol, tokens.get(2), "symbol");
                l.noOptions();
            }
            case "query" -> {
                if (l.positionalCount() < 1) {
                    throw l.error("expected: query account ACCOUNT | query position ACCOUNT SYMBOL"
                        + " | query positions ACCOUNT | query state");
                }
                final String what = tokens.get(1);
                if (what.equals("account")) {
                    l.positional(2, "query account ACCOUNT");
                    into.type = CommandType.QUERY_ACCOUNT;
                    l.name(into.account, tokens.get(2), "account");
                } else if (what.equals("position")) {
                    l.positional(3, "query position ACCOUNT SYMBOL");
                    into.type = CommandType.QUERY_POSITION;
                    l.name(into.account, tokens.get(2), "account");
                    l.name(into.symbol, tokens.get(3), "symbol");
                } else if (what.equals("positions")) {
                    l.positional(2, "query positions ACCOUNT");
                    into.type = CommandType.QUERY_POSITIONS;
                    l.name(into.account, tokens.get(2), "account");
                } else if (what.equals("state")) {
                    l.positional(1, "query state");
                    into.type = CommandType.QUERY_STATE;
                } else {
                    throw l.error("unknown query '" + what + "' (known: account, position, positions, state)");
                }
                l.noOptions();
            }
            case "insurance" -> {
                l.positional(2, "insurance SYMBOL AMOUNT");
                into.type = CommandType.INSURANCE;
                l.name(into.symbol, tokens.get(1), "symbol");
                into.amountE8 = l.decimal(tokens.get(2), "amount");
                l.noOptions();
            }
            case "index", "mark" -> {
                l.positional(2, keyword + " SYMBOL PRICE");
                into.type = keyword.equals("index") ? CommandType.INDEX : CommandType.MARK_PRICE;
                l.name(into.symbol, tokens.get(1), "symbol");
                into.priceE8 = l.decimal(tokens.get(2), "price");
                l.noOptions();
            }
            case "leverage" -> {
                l.positional(3, "leverage ACCOUNT SYMBOL LEVERAGE");
                into.type = CommandType.LEVERAGE;
                l.name(into.account, tokens.get(1), "account");
                l.name(into.symbol, tokens.get(2), "symbol");
                into.leverage = (int) Math.min(Integer.MAX_VALUE, l.wholeNumber(tokens.get(3), "leverage"));
                l.noOptions();
            }
            case "margin" -> {
                l.positional(3, "margin ACCOUNT SYMBOL isolated|cross");
                into.type = CommandType.MARGIN_TYPE;
                l.name(into.account, tokens.get(1), "account");
                l.name(into.symbol, tokens.get(2), "symbol");
                into.isolated = switch (tokens.get(3).toLowerCase(Locale.ROOT)) {
                    case "isolated" -> true;
                    case "cross", "crossed" -> false;
                    default -> throw l.error("margin mode must be isolated or cross, not '" + tokens.get(3) + "'");
                };
                l.noOptions();
            }
            case "isolated-margin" -> {
                l.positional(3, "isolated-margin ACCOUNT SYMBOL AMOUNT (negative removes)");
                into.type = CommandType.ISOLATED_MARGIN;
                l.name(into.account, tokens.get(1), "account");
                l.name(into.symbol, tokens.get(2), "symbol");
                into.amountE8 = l.decimal(tokens.get(3), "amount");
                l.noOptions();
            }
            case "bracket" -> {
                l.positional(4, "bracket SYMBOL FLOOR MMR MAXLEV");
                into.type = CommandType.BRACKET;
                l.name(into.symbol, tokens.get(1), "symbol");
                into.floorE8 = l.decimal(tokens.get(2), "floor");
                into.mmrE8 = l.decimal(tokens.get(3), "maintenance margin rate");
                into.leverage = (int) Math.min(Integer.MAX_VALUE, l.wholeNumber(tokens.get(4), "max leverage"));
                l.noOptions();
            }
            default -> throw l.error("unknown command '" + keyword
                + "' (known: time, advance, market, bracket, deposit, withdraw, index, mark, leverage, margin,"
                + " isolated-margin, insurance, order, cancel, cancel-all, amend, query)");
        }
        into.timestampMs = clockMs;
        return true;
    }

    private void parseMarket(Line l, Command into) throws ScenarioException {
        l.positional(1, "market SYMBOL [tick=] [step=] [key=value ...]");
        into.type = CommandType.MARKET;
        l.name(into.symbol, tokens.get(1), "symbol");
        for (MarketParam p : MarketParam.values()) {
            final String v = l.option(p.key());
            if (v == null) {
                continue;
            }
            final long value = switch (p) {
                case FUNDING_INTERVAL, SLICE_INTERVAL, HALT_WINDOW, HALT_FOR, ADL_REFRESH -> l.duration(v);
                case INSURANCE_SHARED -> l.wholeNumberOrZero(v, p.key());
                case STP -> l.enumValue(StpMode.class, v, "stp").code();
                case MAX_OPEN_ORDERS -> l.positiveLong(v, p.key());
                case MAX_LEVERAGE -> l.wholeNumber(v, p.key());
                default -> l.decimal(v, p.key());
            };
            into.param(p, value);
        }
        l.noOptions();
    }

    private void parseOrder(Line l, Command into) throws ScenarioException {
        final String usage = "order ACCOUNT SYMBOL buy|sell limit QTY PRICE | market QTY | stop|take_profit QTY PRICE"
            + " stopPrice= | stop_market|take_profit_market [QTY] stopPrice= | trailing_stop_market QTY callbackRate="
            + "  [tif=] [reduceOnly] [id=]";
        final int n = l.positionalCount();
        if (n < 4) {
            throw l.error("expected: " + usage);
        }
        into.type = CommandType.PLACE_ORDER;
        l.name(into.account, tokens.get(1), "account");
        l.name(into.symbol, tokens.get(2), "symbol");
        into.side = switch (tokens.get(3).toLowerCase(Locale.ROOT)) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw l.error("side must be buy or sell, not '" + tokens.get(3) + "'");
        };
        final String type = tokens.get(4).toLowerCase(Locale.ROOT);
        if (n < 5 && !type.endsWith("_market")) {
            throw l.error("expected: " + usage);
        }
        switch (type) {
            case "limit" -> {
                if (n != 6) {
                    throw l.error("expected: order ACCOUNT SYMBOL SIDE limit QTY PRICE [options]");
                }
                into.orderType = OrderType.LIMIT;
                into.qtyE8 = l.decimal(tokens.get(5), "quantity");
                into.priceE8 = l.decimal(tokens.get(6), "price");
            }
            case "market" -> {
                if (n != 5) {
                    throw l.error("expected: order ACCOUNT SYMBOL SIDE market QTY [options]");
                }
                into.orderType = OrderType.MARKET;
                into.qtyE8 = l.decimal(tokens.get(5), "quantity");
            }
            case "stop", "take_profit" -> {
                if (n != 6) {
                    throw l.error("expected: order ACCOUNT SYMBOL SIDE " + type + " QTY PRICE stopPrice=P [options]");
                }
                into.orderType = type.equals("stop") ? OrderType.STOP : OrderType.TAKE_PROFIT;
                into.qtyE8 = l.decimal(tokens.get(5), "quantity");
                into.priceE8 = l.decimal(tokens.get(6), "price");
            }
            case "stop_market", "take_profit_market", "trailing_stop_market" -> {
                // the quantity may be left out (closePosition): the engine refuses what Binance refuses
                if (n > 5) {
                    throw l.error("expected: order ACCOUNT SYMBOL SIDE " + type + " [QTY] [options]");
                }
                into.orderType = switch (type) {
                    case "stop_market" -> OrderType.STOP_MARKET;
                    case "take_profit_market" -> OrderType.TAKE_PROFIT_MARKET;
                    default -> OrderType.TRAILING_STOP_MARKET;
                };
                if (n == 5) {
                    into.qtyE8 = l.decimal(tokens.get(5), "quantity");
                }
            }
            default -> throw l.error("order type '" + tokens.get(4) + "' is not supported (known: limit, market,"
                + " stop, stop_market, take_profit, take_profit_market, trailing_stop_market)");
        }
        for (int i = 1; i <= n; i++) {
            l.use(i);
        }
        if (into.orderType != OrderType.LIMIT && into.orderType != OrderType.MARKET) {
            parseConditional(l, into);
        }
        final String tif = l.option("tif");
        if (tif != null) {
            if (into.orderType != OrderType.LIMIT && into.orderType != OrderType.STOP
                && into.orderType != OrderType.TAKE_PROFIT) {
                throw l.error("tif= applies to limit orders only (limit, stop, take_profit)");
            }
            into.timeInForce = l.enumValue(TimeInForce.class, tif, "tif");
        }
        final String stp = l.option("stp");
        if (stp != null) {
            into.stpMode = l.enumValue(StpMode.class, stp, "stp");
        }
        into.reduceOnly = l.flag("reduceOnly");
        final String id = l.option("id");
        if (id != null) {
            l.name(into.clientId, id, "client order id");
        }
        l.noOptions();
    }

    /** The options of conditional orders; whether they fit the order's type is the engine's call (Binance's codes). */
    private static void parseConditional(Line l, Command into) throws ScenarioException {
        final String stop = l.option("stopPrice");
        if (stop != null) {
            into.stopPriceE8 = l.decimal(stop, "stopPrice");
        }
        final String rate = l.option("callbackRate");
        if (rate != null) {
            into.callbackRateE8 = l.decimal(rate, "callbackRate");
        }
        final String activation = l.option("activationPrice");
        if (activation != null) {
            into.activationPriceE8 = l.decimal(activation, "activationPrice");
        }
        final String working = l.option("workingType");
        if (working != null) {
            into.workingType = l.enumValue(WorkingType.class, working, "workingType");
        }
        into.closePosition = l.flag("closePosition");
        into.priceProtect = l.flag("priceProtect");
    }

    private void tokenize(String line) {
        tokens.clear();
        final int hash = line.indexOf('#');
        final String content = hash >= 0 ? line.substring(0, hash) : line;
        for (String t : content.trim().split("[ \\t]+")) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
    }

    /** One line's tokens: positional arguments first, then {@code key=value} options and bare flags. */
    private final class Line {
        private final int number;
        private final boolean[] used;

        Line(int number) {
            this.number = number;
            this.used = new boolean[tokens.size()];
            used[0] = true;
        }

        ScenarioException error(String why) {
            return new ScenarioException(number, why);
        }

        /** Positional arguments after the keyword: tokens up to the first option. */
        int positionalCount() {
            int n = 0;
            for (int i = 1; i < tokens.size() && !isOption(tokens.get(i)); i++) {
                n++;
            }
            return n;
        }

        private boolean isOption(String t) {
            return t.indexOf('=') > 0 || t.equals("reduceOnly") || t.equals("closePosition")
                || t.equals("priceProtect");
        }

        /** Marks positional argument {@code i} as read. */
        void use(int i) {
            used[i] = true;
        }

        void positional(int expected, String usage) throws ScenarioException {
            if (positionalCount() != expected) {
                throw error("expected: " + usage);
            }
            for (int i = 1; i <= expected; i++) {
                used[i] = true;
            }
        }

        String option(String key) throws ScenarioException {
            String value = null;
            for (int i = 1; i < tokens.size(); i++) {
                final String t = tokens.get(i);
                if (t.startsWith(key + "=")) {
                    if (value != null) {
                        throw error("option '" + key + "' given twice");
                    }
                    value = t.substring(key.length() + 1);
                    used[i] = true;
                    if (value.isEmpty()) {
                        throw error("option '" + key + "' has no value");
                    }
                }
            }
            return value;
        }

        boolean flag(String name) {
            boolean found = false;
            for (int i = 1; i < tokens.size(); i++) {
                if (tokens.get(i).equals(name)) {
                    used[i] = true;
                    found = true;
                }
            }
            return found;
        }

        void noOptions() throws ScenarioException {
            for (int i = 1; i < tokens.size(); i++) {
                if (!used[i] && i > positionalCount()) {
                    throw error("unknown option '" + tokens.get(i) + "'");
                }
            }
        }

        void name(Name into, String text, String what) throws ScenarioException {
            if (text.length() > Name.CAPACITY) {
                throw error(what + " '" + text + "' is longer than " + Name.CAPACITY + " characters");
            }
            for (int i = 0; i < text.length(); i++) {
                if (!Name.isLegalChar(text.charAt(i))) {
                    throw error(what + " '" + text + "' has a character outside [A-Za-z0-9._:/-]");
                }
            }
            into.set(text);
        }

        long decimal(String text, String what) throws ScenarioException {
            try {
                return Decimal.parseE8(text);
            } catch (NumberFormatException e) {
                throw error(what + ": " + e.getMessage());
            }
        }

        long wholeNumber(String text, String what) throws ScenarioException {
            final long e8 = decimal(text, what);
            if (e8 % Fixed.E8 != 0 || e8 <= 0) {
                throw error(what + " must be a positive whole number, not '" + text + "'");
            }
            return e8 / Fixed.E8;
        }

        long wholeNumberOrZero(String text, String what) throws ScenarioException {
            final long e8 = decimal(text, what);
            if (e8 % Fixed.E8 != 0 || e8 < 0) {
                throw error(what + " must be a whole number, not '" + text + "'");
            }
            return e8 / Fixed.E8;
        }

        long positiveLong(String text, String what) throws ScenarioException {
            try {
                final long v = Long.parseLong(text);
                if (v <= 0) {
                    throw error(what + " must be positive, not '" + text + "'");
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(what + " must be a positive whole number, not '" + text + "'");
            }
        }

        <E extends Enum<E>> E enumValue(Class<E> type, String text, String what) throws ScenarioException {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text)) {
                    return e;
                }
            }
            final StringBuilder known = new StringBuilder();
            for (E e : type.getEnumConstants()) {
                known.append(known.length() == 0 ? "" : ", ").append(e.name());
            }
            throw error(what + " '" + text + "' is not one of " + known);
        }

        long timestamp(String text) throws ScenarioException {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw error("'" + text + "' is not an ISO-8601 UTC timestamp like 2025-10-10T14:00:00Z");
            }
        }

        long duration(String text) throws ScenarioException {
            final long ms = Durations.parseMs(text);
            if (ms < 0) {
                throw error("'" + text + "' is not a duration like 500ms, 30s, 5m, 8h");
            }
            return ms;
        }
    }
}
