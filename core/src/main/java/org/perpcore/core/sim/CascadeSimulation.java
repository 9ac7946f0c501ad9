package org.perpcore.core.sim;

import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.risk.Brackets;

/**
 * A deterministic liquidation cascade: a seeded {@link Population} of leveraged traders and a few market makers in
 * one BTCUSDT-like market, driven through a price path (e.g. the real 2025-10-10 minutes) as engine commands.
 *
 * <p>It is a command source: {@link #next} fills the next command, in order, until the run is over. The stream is
 * a pure function of the spec and the path (no clock, no {@code java.util.Random}, nothing read back from the
 * engine), so any host can replay it: {@link #runOn} applies it to an {@link Engine}, a pipeline producer can
 * publish it, a benchmark can prebuild it, and the same seed always gives the same commands, hence the same events
 * and state hash. The commands carry their time ({@link Command#timestampMs}); sequence numbers are the host's.
 *
 * <p>The stream:
 * <ol>
 *   <li>setup, one minute before the path starts: the market and its margin tiers, the insurance fund (a share of
 *       the open interest), the opening index, the makers' deposits and leverage, then for every trader its
 *       deposit, leverage, margin mode, a resting limit order at its entry price and the IOC order of its maker
 *       that fills it (so every position is opened by a real trade, and open interest balances), then its
 *       stop-loss if it places one, for the traders who open at the start;</li>
 *   <li>then for each index tick of the path ({@link PricePath#ticks}): when the makers re-quote (the index has
 *       moved {@code makerRequoteBps} from their last mid, or {@code makerRefreshMs} has passed), each cancels all
 *       its orders and posts a ladder of {@code makerLevels} bids and asks around the new index, wider and thinner
 *       as volatility rises; the traders who open at this tick (deposit, leverage, margin mode, an IOC order on the
 *       makers' quotes); then the {@code index} command itself (skipped when the price did not change), which
 *       moves the mark, and the engine liquidates whoever it crosses.</li>
 * </ol>
 */
public final class CascadeSimulation {
    private static final int MARKET = 0;
    private static final int BRACKETS = 1;
    private static final int FUND = 2;
    private static final int OPEN_INDEX = 3;
    private static final int MAKERS = 4;
    private static final int TRADERS = 5;
    private static final int STEPS = 6;
    private static final int DONE = 7;

    private final CascadeSpec spec;
    private final PricePath path;
    private final IndexTicks ticks;
    private final Population population;
    private final long setupMs;
    private final long lotTickValueE8;
    private final long fundE8;
    private final long calmDepthE8;
    private final int[] makerLeverage;
    private final long[] makerDepositE8;
    private final byte[] nameScratch = new byte[Name.CAPACITY];

    private int phase = MARKET;
    private int item;
    private int sub;
    private long produced;

    // the makers' quoting state
    private double volatilityBps;
    private long lastIndexE8;
    private long quotedMidE8;
    private long quotedAtMs;
    private boolean requoting;
    private double halfSpreadBps;
    private double spacingBps;
    private long levelNotionalE8;
    private int requotes;
    private boolean stepStarted;
    private int lateCursor;
    private int lateSub;

    /** A simulation of {@code spec} over {@code path}; the population is generated here. */
    public CascadeSimulation(CascadeSpec spec, PricePath path) {
        this.spec = spec.copy().validate();
        this.path = path;
        if (path.tickE8() != this.spec.tickE8()) {
            throw new IllegalArgumentException("the path's tick differs from the market's");
        }
        this.ticks = path.ticks(this.spec.stepMs());
        this.setupMs = path.startMs() - PricePath.MINUTE_MS;
        this.lotTickValueE8 = this.spec.tickE8() * this.spec.stepE8() / Fixed.E8;
        this.population = Population.generate(this.spec, path, ticks);
        final long oi = population.openInterestE8();
        this.fundE8 = (long) (oi * this.spec.insuranceShare()) / Fixed.E8 * Fixed.E8;
        this.calmDepthE8 = (long) (oi * this.spec.makerDepthShare());
        final Brackets brackets = new Brackets();
        for (int t = 0; t < this.spec.bracketCount(); t++) {
            brackets.add(this.spec.bracketFloorE8(t), this.spec.bracketMmrE8(t), this.spec.bracketMaxLeverage(t));
        }
        final int m = this.spec.makers();
        makerLeverage = new int[m];
        makerDepositE8 = new long[m];
        final long ladderE8 = 2 * calmDepthE8 / m;
        for (int j = 0; j < m; j++) {
            // room for the largest position it carries while the traders open, its ladder, and a price move
            final long exposure = population.makerMaxExposureE8(j) + population.makerMaxExposureE8(j) / 5 + ladderE8;
            makerLeverage[j] = Math.max(1, Math.min(20, brackets.maxLeverageAt(2 * exposure)));
            makerDepositE8[j] = Fixed.mulDivCeil(exposure, 1, makerLeverage[j]) / Fixed.E8 * Fixed.E8
                + population.makerMaxExposureE8(j) / 2 / Fixed.E8 * Fixed.E8 + 1_000_000 * Fixed.E8;
        }
    }

    // ---------------------------------------------------------------------------------------- the stream

    /**
     * Fills {@code into} (cleared first) with the next command, stamped with its time; its sequence number is left
     * for the host to set.
     *
     * @return false when the run is over ({@code into} is then cleared)
     */
    public boolean next(Command into) {
        into.clear();
        while (true) {
            switch (phase) {
                case MARKET -> {
                    market(into);
                    phase = BRACKETS;
                    item = 0;
                    return emitted(into, setupMs);
                }
                case BRACKETS -> {
                    if (item < spec.bracketCount()) {
                        bracket(into, item++);
                        return emitted(into, setupMs);
                    }
                    phase = FUND;
                }
                case FUND -> {
                    phase = OPEN_INDEX;
                    if (fundE8 > 0) {
                        into.type = CommandType.INSURANCE;
                        into.symbol.set(spec.symbol());
                        into.amountE8 = fundE8;
                        return emitted(into, setupMs);
                    }
                }
                case OPEN_INDEX -> {
                    index(into, ticks.priceE8(0));
                    phase = MAKERS;
                    item = 0;
                    sub = 0;
                    return emitted(into, setupMs);
                }
                case MAKERS -> {
                    if (item < spec.makers()) {
                        makerSetup(into);
                        return emitted(into, setupMs);
                    }
                    phase = TRADERS;
                    item = 0;
                    sub = 0;
                }
                case TRADERS -> {
                    skipLate();
                    if (item < population.size()) {
                        trader(into);
                        return emitted(into, setupMs);
                    }
                    phase = STEPS;
                    item = 0;
                    sub = 0;
                }
                case STEPS -> {
                    if (item >= ticks.size()) {
                        phase = DONE;
                        continue;
                    }
                    if (step(into)) {
                        produced++;
                        return true;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private boolean emitted(Command c, long timeMs) {
        c.timestampMs = timeMs;
        produced++;
        return true;
    }

    /**
     * Applies the whole stream (from where it stands) to {@code engine}, numbering the commands after
     * {@code engine.lastSeq()}, and hands every command with its events to {@code listener} (a
     * {@link CascadeReport.Collector}, an event journal, both...). Returns the number of commands applied.
     */
    public long runOn(Engine engine, OutputStage listener) {
        final Command c = new Command();
        long seq = engine.lastSeq();
        long n = 0;
        while (next(c)) {
            c.seq = ++seq;
            engine.apply(c);
            listener.onEvents(c, true);
            n++;
        }
        return n;
    }

    /**
     * Publishes the whole stream (from where it stands) to {@code pipeline}, which numbers the commands; its output
     * stage sees the events (give it a {@link CascadeReport.Collector}). Returns the number of commands published.
     * Blocks while the ring is full; call {@link Pipeline#close()} afterwards to let the last commands through.
     */
    public long publishTo(Pipeline pipeline) {
        final Command c = new Command();
        long n = 0;
        while (next(c)) {
            pipeline.publish(c);
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------- setup

    private void market(Command c) {
        c.type = CommandType.MARKET;
        c.symbol.set(spec.symbol());
        c.param(MarketParam.TICK, spec.tickE8()).param(MarketParam.STEP, spec.stepE8())
            .param(MarketParam.MAKER_FEE, spec.makerFeeE8()).param(MarketParam.TAKER_FEE, spec.takerFeeE8())
            .param(MarketParam.MAX_QTY, spec.maxQtyE8())
            .param(MarketParam.MAX_LEVERAGE, spec.bracketMaxLeverage(0));
        if (spec.haltMove() > 0) {
            c.param(MarketParam.HALT_MOVE, Math.round(spec.haltMove() * Fixed.E8));
        }
    }

    private void bracket(Command c, int tier) {
        c.type = CommandType.BRACKET;
        c.symbol.set(spec.symbol());
        c.floorE8 = spec.bracketFloorE8(tier);
        c.mmrE8 = spec.bracketMmrE8(tier);
        c.leverage = spec.bracketMaxLeverage(tier);
    }

    private void index(Command c, long priceE8) {
        c.type = CommandType.INDEX;
        c.symbol.set(spec.symbol());
        c.priceE8 = priceE8;
        lastIndexE8 = priceE8;
    }

    private void makerSetup(Command c) {
        maker(c.account, item);
        if (sub == 0) {
            c.type = CommandType.DEPOSIT;
            c.amountE8 = makerDepositE8[item];
            sub = 1;
        } else {
            c.type = CommandType.LEVERAGE;
            c.symbol.set(spec.symbol());
            c.leverage = makerLeverage[item];
            sub = 0;
            item++;
        }
    }

    private void trader(Command c) {
        final int i = item;
        switch (sub) {
            case 0 -> {
                trader(c.account, i);
                c.type = CommandType.DEPOSIT;
                c.amountE8 = population.depositE8(i);
                sub = 1;
            }
            case 1 -> {
                trader(c.account, i);
                c.type = CommandType.LEVERAGE;
                c.symbol.set(spec.symbol());
                c.leverage = population.leverage(i);
                sub = population.isolated(i) ? 2 : 3;
            }
            case 2 -> {
                trader(c.account, i);
                c.type = CommandType.MARGIN_TYPE;
                c.symbol.set(spec.symbol());
                c.isolated = true;
                sub = 3;
            }
            case 3 -> {
                trader(c.account, i);
                limit(c, population.isLong(i) ? Side.BUY : Side.SELL, population.entryTicks(i),
                    population.lots(i), TimeInForce.GTC);
                sub = 4;
            }
            case 4 -> {
                maker(c.account, population.maker(i));
                limit(c, population.isLong(i) ? Side.SELL : Side.BUY, population.entryTicks(i),
                    population.lots(i), TimeInForce.IOC);
                if (population.stopTicks(i) > 0) {
                    sub = 5;
                } else {
                    nextTrader();
                }
            }
            default -> {
                trader(c.account, i);
                stopLoss(c, population.isLong(i) ? Side.SELL : Side.BUY, population.stopTicks(i));
                nextTrader();
            }
        }
    }

    private void nextTrader() {
        sub = 0;
        item++;
        skipLate();
    }

    /**
     * A stop-loss on the open position: STOP_MARKET closePosition on the mark price (the mark is what the index
     * moves in this simulation; a last-price stop would wait for a trade to print through it).
     */
    private void stopLoss(Command c, Side side, long stopTicks) {
        c.type = CommandType.PLACE_ORDER;
        c.symbol.set(spec.symbol());
        c.side = side;
        c.orderType = OrderType.STOP_MARKET;
        c.stopPriceE8 = stopTicks * spec.tickE8();
        c.closePosition = true;
        c.workingType = WorkingType.MARK_PRICE;
    }

    /** Passes over the traders who open during the replay; ends the setup after the last one who does not. */
    private void skipLate() {
        while (item < population.size() && population.entryStep(item) > 0) {
            item++;
        }
        if (item == population.size()) {
            phase = STEPS; // so that inReplay() is true as soon as the setup's last command is out
            item = 0;
            sub = 0;
        }
    }

    /** The next command of a trader who opens now: deposit, leverage, margin mode, an IOC order on the book. */
    private void lateEntry(Command c) {
        final int i = population.late(lateCursor);
        trader(c.account, i);
        switch (lateSub) {
            case 0 -> {
                c.type = CommandType.DEPOSIT;
                c.amountE8 = population.depositE8(i);
                lateSub = 1;
            }
            case 1 -> {
                c.type = CommandType.LEVERAGE;
                c.symbol.set(spec.symbol());
                c.leverage = population.leverage(i);
                lateSub = population.isolated(i) ? 2 : 3;
            }
            case 2 -> {
                c.type = CommandType.MARGIN_TYPE;
                c.symbol.set(spec.symbol());
                c.isolated = true;
                lateSub = 3;
            }
            default -> {
                limit(c, population.isLong(i) ? Side.BUY : Side.SELL, population.entryTicks(i), population.lots(i),
                    TimeInForce.IOC);
                lateSub = 0;
                lateCursor++;
            }
        }
    }

    private void limit(Command c, Side side, long priceTicks, long lots, TimeInForce tif) {
        c.type = CommandType.PLACE_ORDER;
        c.symbol.set(spec.symbol());
        c.side = side;
        c.orderType = OrderType.LIMIT;
        c.timeInForce = tif;
        c.priceE8 = priceTicks * spec.tickE8();
        c.qtyE8 = lots * spec.stepE8();
    }

    // ---------------------------------------------------------------------------------------- the replay

    /** The next command of tick {@code item}; false when the tick has nothing (more) to send. */
    private boolean step(Command c) {
        c.timestampMs = ticks.timeMs(item);
        final int m = spec.makers();
        final int perMaker = 2 * spec.makerLevels();
        final long priceE8 = ticks.priceE8(item);
        final long timeMs = ticks.timeMs(item);
        if (!stepStarted) {
            stepStarted = true;
            sub = 0;
            if (item > 0) {
                final long previous = ticks.priceE8(item - 1);
                final double moveBps = Math.abs(priceE8 - previous) * 1e4 / previous * (1000.0 / spec.stepMs());
                final double alpha = Math.min(1, spec.stepMs() / 30_000.0);
                volatilityBps = volatilityBps * (1 - alpha) + alpha * moveBps;
            }
            requoting = item == 0 || Math.abs(priceE8 - quotedMidE8) * 1e4 >= spec.makerRequoteBps() * quotedMidE8
                || timeMs - quotedAtMs >= spec.makerRefreshMs();
            if (requoting) {
                quote(priceE8, timeMs);
            }
        }
        if (requoting && sub < m) {
            c.type = CommandType.CANCEL_ALL;
            maker(c.account, sub);
            c.symbol.set(spec.symbol());
            sub++;
            return true;
        }
        if (requoting && sub < m + m * perMaker) {
            final int k = sub - m;
            final int maker = k / perMaker;
            final int level = k % perMaker / 2;
            final boolean bid = k % 2 == 0;
            maker(c.account, maker);
            final double distanceBps = halfSpreadBps + (level + (double) maker / m) * spacingBps;
            final long indexTicks = priceE8 / spec.tickE8();
            final long priceTicks = bid
                ? (long) StrictMath.floor(indexTicks * (1 - distanceBps / 1e4))
                : (long) StrictMath.ceil(indexTicks * (1 + distanceBps / 1e4));
            final long p = Math.max(1, bid ? Math.min(priceTicks, indexTicks - 1) : Math.max(priceTicks, indexTicks + 1));
            final long lots = Math.max(1, levelNotionalE8 / (p * lotTickValueE8));
            limit(c, bid ? Side.BUY : Side.SELL, p, lots, TimeInForce.GTC);
            sub++;
            return true;
        }
        // traders who open now take the makers' fresh quotes, before the index moves the mark
        if (lateCursor < population.lateCount() && population.entryStep(population.late(lateCursor)) == item) {
            lateEntry(c);
            return true;
        }
        // the index tick itself, then on to the next
        final boolean send = item == 0 || priceE8 != lastIndexE8;
        if (send) {
            index(c, priceE8);
        }
        item++;
        stepStarted = false;
        return send;
    }

    /** The makers' ladder for the new index: spreads widen and depth thins as volatility rises. */
    private void quote(long midE8, long timeMs) {
        final double stress = 1 + volatilityBps / spec.makerVolatilityRefBps();
        halfSpreadBps = spec.makerHalfSpreadBps() * stress;
        spacingBps = spec.makerLevelSpacingBps() * stress;
        final double width = halfSpreadBps + spec.makerLevels() * spacingBps;
        if (width > 500) { // never more than 5 % from the index: the makers' ladders stay within the price band
            halfSpreadBps *= 500 / width;
            spacingBps *= 500 / width;
        }
        levelNotionalE8 = (long) (calmDepthE8 / stress / spec.makers() / spec.makerLevels());
        quotedMidE8 = midE8;
        quotedAtMs = timeMs;
        requotes++;
    }

    // ---------------------------------------------------------------------------------------- names

    private void trader(Name into, int i) {
        digits(into, 'u', i);
    }

    private void maker(Name into, int j) {
        nameScratch[0] = 'm';
        nameScratch[1] = 'm';
        into.set(nameScratch, 0, 2 + digitsInto(j + 1, 2));
    }

    private void digits(Name into, char prefix, int value) {
        nameScratch[0] = (byte) prefix;
        into.set(nameScratch, 0, 1 + digitsInto(value, 1));
    }

    private int digitsInto(int value, int at) {
        int n = 0;
        int v = value;
        do {
            n++;
            v /= 10;
        } while (v > 0);
        v = value;
        for (int k = n - 1; k >= 0; k--) {
            nameScratch[at + k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return n;
    }

    /** The name of maker {@code j} (0-based): {@code mm1}, {@code mm2}... */
    public static String makerName(int j) {
        return "mm" + (j + 1);
    }

    // ---------------------------------------------------------------------------------------- read access

    public CascadeSpec spec() {
        return spec.copy();
    }

    public PricePath path() {
        return path;
    }

    public IndexTicks ticks() {
        return ticks;
    }

    public Population population() {
        return population;
    }

    /** The insurance fund's starting balance, E8. */
    public long insuranceFundE8() {
        return fundE8;
    }

    /** The makers' ladders together, per side, in a calm market: notional, E8. */
    public long calmDepthE8() {
        return calmDepthE8;
    }

    public long makerDepositE8(int j) {
        return makerDepositE8[j];
    }

    public int makerLeverage(int j) {
        return makerLeverage[j];
    }

    /** Commands produced so far. */
    public long produced() {
        return produced;
    }

    /** Times the makers re-quoted so far. */
    public int requotes() {
        return requotes;
    }

    /** True once the setup is over (the next command belongs to the price replay). */
    public boolean inReplay() {
        return phase >= STEPS;
    }

    /** When the setup's commands are stamped: one minute before the path starts. */
    public long setupMs() {
        return setupMs;
    }
}
