package org.perpcore.gateway.postmortem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventView;
import org.perpcore.core.event.EventWalker;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.sim.CascadeReport;

/**
 * Reads a run's events, command by command from the first, and builds its {@link PostMortem}: it feeds a
 * {@link CascadeReport.Collector} for the totals and keeps, for the run's first market, the minute series, the
 * largest liquidations, funding settlements and halts. Open interest follows the POSITION events (every change of a
 * position emits one). Feed it as an {@link EventWalker}: a pipeline's {@link OutputStage}, with
 * {@link #accept(Command)} or from an event journal with {@link #accept(long, long, DirectBuffer, int, int)}.
 * Single-threaded.
 */
public final class PostMortemBuilder extends EventWalker {
    /** How many of the largest liquidations the post-mortem keeps. */
    public static final int LARGEST = 20;

    private final CascadeReport.Collector totals = new CascadeReport.Collector();
    private final MinuteSeries series = new MinuteSeries();
    private String[] names = new String[1024];
    private long[] positionQtyE8 = new long[1024];
    private int market = -1;
    private String symbol = "";
    private int fundAccount = -1;
    private long openInterestQtyE8;
    private long openInterestPeakQtyE8;
    private long openInterestPeakMs;
    private final List<PostMortem.FundingSettlement> funding = new ArrayList<>();
    private final List<PostMortem.Halt> halts = new ArrayList<>();
    private final PriorityQueue<PostMortem.Liquidation> largest =
        new PriorityQueue<>(Comparator.comparingLong(PostMortem.Liquidation::notionalE8));

    // the settlement being read (FUNDING events of one command)
    private long fundingMs = -1;
    private long fundingRateE8;
    private long fundingPriceE8;
    private int fundingPositions;
    private long fundingPaidE8;
    private long fundingReceivedE8;

    // the liquidation being read (one account's LIQUIDATION events of one command)
    private int scopeAccount = -1;
    private long scopeSeq;
    private long scopeMs;
    private boolean scopeLong;
    private boolean scopePartial;
    private long scopeQtyE8;
    private long scopeNotionalE8;
    private long scopeFirstPriceE8;
    private long scopeLastPriceE8;
    private long scopeMarkE8;
    private long scopeBankruptcyE8;
    private long scopeFeeE8;
    private final long[] scopeStageE8 = new long[4];

    /** The events of one command, {@code buffer[offset, offset + length)} in the engine's binary format. */
    @Override
    public void accept(long seq, long timestampMs, DirectBuffer buffer, int offset, int length) {
        totals.accept(seq, timestampMs, buffer, offset, length);
        super.accept(seq, timestampMs, buffer, offset, length);
    }

    @Override
    protected void beginCommand(long seq, long timestampMs) {
        series.minute(timestampMs);
    }

    @Override
    protected void event(long seq, long timestampMs, DirectBuffer buffer, int at, int length) {
        one(seq, timestampMs);
    }

    @Override
    protected void endCommand(long seq, long timestampMs) {
        closeLiquidation();
        closeFunding();
    }

    private void one(long seq, long ts) {
        final EventView e = view;
        switch (e.type) {
            case ACCOUNT_CREATED -> name(e.account, new String(e.name.bytes(), 0, e.name.length(), StandardCharsets.UTF_8));
            case MARKET -> {
                if (market < 0) {
                    market = e.market;
                    symbol = e.symbol.toString();
                }
            }
            case MARK -> {
                if (e.market == market) {
                    series.mark(ts, e.markE8, e.indexE8, e.fundingRateE8);
                }
            }
            case POSITION -> {
                if (e.market == market) {
                    position(e.account, e.qtyE8, ts);
                }
            }
            case LIQUIDATION -> {
                if (e.market == market && !isFund(e.account)) {
                    liquidation(seq, ts, e);
                }
            }
            case ADL -> {
                if (e.market == market) {
                    series.adl(ts, notional(e.qtyE8, e.priceE8));
                }
            }
            case ORDER -> {
                if (e.market == market && e.conditional && e.execType == ExecType.TRADE) {
                    series.stopFill(ts, e.side == Side.SELL, notional(e.lastQtyE8, e.lastPriceE8));
                }
            }
            case INSURANCE -> {
                if (e.market == market && fundAccount < 0) {
                    fundAccount = e.fundAccount;
                }
                if (e.fundAccount == fundAccount) {
                    series.fund(ts, e.balanceE8);
                }
            }
            case FUNDING -> {
                if (e.market == market) {
                    funding(ts, e);
                }
            }
            case HALT -> {
                if (e.market == market) {
                    halts.add(new PostMortem.Halt(ts, e.resumed, e.moveE8, e.untilMs));
                }
            }
            default -> {
            }
        }
    }

    private void position(int account, long qtyE8, long ts) {
        if (account >= positionQtyE8.length) {
            positionQtyE8 = Arrays.copyOf(positionQtyE8, Math.max(account + 1, positionQtyE8.length * 2));
        }
        openInterestQtyE8 += Math.max(0, qtyE8) - Math.max(0, positionQtyE8[account]);
        positionQtyE8[account] = qtyE8;
        series.openInterest(ts, openInterestQtyE8);
        if (openInterestQtyE8 > openInterestPeakQtyE8) {
            openInterestPeakQtyE8 = openInterestQtyE8;
            openInterestPeakMs = ts;
        }
    }

    private void funding(long ts, EventView e) {
        if (e.account < 0) {
            closeFunding();
            fundingMs = ts;
            fundingRateE8 = e.fundingRateE8;
            fundingPriceE8 = e.markE8;
            return;
        }
        fundingPositions++;
        if (e.amountE8 < 0) {
            fundingPaidE8 -= e.amountE8;
        } else {
            fundingReceivedE8 += e.amountE8;
        }
    }

    private void closeFunding() {
        if (fundingMs < 0) {
            return;
        }
        funding.add(new PostMortem.FundingSettlement(fundingMs, fundingRateE8, fundingPriceE8, fundingPositions,
            fundingPaidE8, fundingReceivedE8));
        fundingMs = -1;
        fundingPositions = 0;
        fundingPaidE8 = 0;
        fundingReceivedE8 = 0;
    }

    private void liquidation(long seq, long ts, EventView e) {
        if (e.account != scopeAccount || seq != scopeSeq) {
            closeLiquidation();
            scopeAccount = e.account;
            scopeSeq = seq;
            scopeMs = ts;
            scopeLong = e.side == Side.SELL; // a long is closed by selling
            scopePartial = !e.full;
            scopeQtyE8 = 0;
            scopeNotionalE8 = 0;
            scopeFirstPriceE8 = e.priceE8;
            scopeMarkE8 = e.markE8;
            scopeBankruptcyE8 = e.bankruptcyPriceE8;
            scopeFeeE8 = 0;
            Arrays.fill(scopeStageE8, 0);
        }
        final long notional = notional(e.qtyE8, e.priceE8);
        scopeQtyE8 += e.qtyE8;
        scopeNotionalE8 += notional;
        scopeLastPriceE8 = e.priceE8;
        scopeFeeE8 += e.feeE8;
        scopeStageE8[e.stage.code()] += notional;
    }

    private void closeLiquidation() {
        if (scopeAccount < 0) {
            return;
        }
        series.liquidation(scopeMs, scopeLong, scopeNotionalE8);
        if (largest.size() < LARGEST || scopeNotionalE8 > largest.peek().notionalE8()) {
            largest.add(new PostMortem.Liquidation(name(scopeAccount), scopeSeq, scopeMs, scopeLong, scopeQtyE8,
                scopeNotionalE8, scopeFirstPriceE8, scopeLastPriceE8, scopeMarkE8, scopeBankruptcyE8, scopeFeeE8,
                scopeStageE8[LiquidationStage.BOOK.code()], scopeStageE8[LiquidationStage.INSURANCE.code()],
                scopeStageE8[LiquidationStage.ADL.code()], scopePartial));
            if (largest.size() > LARGEST) {
                largest.poll();
            }
        }
        scopeAccount = -1;
    }

    private static long notional(long qtyE8, long priceE8) {
        return Fixed.mulDivFloor(qtyE8, priceE8, Fixed.E8);
    }

    private void name(int account, String name) {
        if (account >= names.length) {
            names = Arrays.copyOf(names, Math.max(account + 1, names.length * 2));
        }
        names[account] = name;
    }

    private String name(int account) {
        return account >= 0 && account < names.length && names[account] != null ? names[account] : "#" + account;
    }

    private boolean isFund(int account) {
        return account >= 0 && account < names.length && names[account] != null && names[account].startsWith("$");
    }

    /** The market the series is of: the first one the run created ("" before any). */
    public String symbol() {
        return symbol;
    }

    /** The post-mortem of everything accepted so far, with {@code map} (may be null) as its liquidation map. */
    public PostMortem build(LiquidationMap map) {
        closeLiquidation();
        closeFunding();
        series.fill();
        final List<PostMortem.Liquidation> top = new ArrayList<>(largest);
        top.sort(Comparator.comparingLong(PostMortem.Liquidation::notionalE8).reversed()
            .thenComparingLong(PostMortem.Liquidation::seq));
        return new PostMortem(symbol, totals.report(), series, List.copyOf(top), List.copyOf(funding),
            List.copyOf(halts), openInterestPeakQtyE8, openInterestPeakMs, openInterestQtyE8, map);
    }
}
