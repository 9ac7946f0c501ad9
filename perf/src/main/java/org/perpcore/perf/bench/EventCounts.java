package org.perpcore.perf.bench;

import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.model.LiquidationStage;

/**
 * What the liquidation path did, from the events of the commands it is shown (single-threaded: one instance per
 * thread). Counting decodes only the events of commands that liquidated; every other command costs a walk over its
 * event headers.
 */
final class EventCounts {
    private final EventView view = new EventView();
    long commands;
    long rejects;
    long marginCalls;
    long liquidatedAccounts;
    long bookFills;
    long insuranceFills;
    long adlFills;
    long fundSurplus;
    long fundTakeover;
    long fundOther;
    long adlEvents;
    long badDebt;

    /** Counts the command's events; returns the accounts it liquidated. */
    int add(Command c) {
        commands++;
        final EventBuffer events = c.events();
        final DirectBuffer buffer = events.buffer();
        final int n = events.count();
        boolean liquidation = false;
        int offset = 0;
        for (int i = 0; i < n; i++) {
            final byte type = buffer.getByte(offset + 4);
            if (type == EventType.REJECT.code()) {
                rejects++;
            } else if (type == EventType.LIQUIDATION.code()) {
                liquidation = true;
            }
            offset += buffer.getInt(offset);
        }
        return liquidation ? liquidations(events) : 0;
    }

    private int liquidations(EventBuffer events) {
        final DirectBuffer buffer = events.buffer();
        int accounts = 0;
        int last = -1;
        int offset = 0;
        for (int i = 0; i < events.count(); i++) {
            view.decode(buffer, offset);
            switch (view.type) {
                case MARGIN_CALL -> marginCalls++;
                case LIQUIDATION -> {
                    if (view.account != last) {
                        accounts++;
                        last = view.account;
                    }
                    if (view.stage == LiquidationStage.BOOK) {
                        bookFills++;
                    } else if (view.stage == LiquidationStage.INSURANCE) {
                        insuranceFills++;
                    } else if (view.stage == LiquidationStage.ADL) {
                        adlFills++;
                    }
                }
                case INSURANCE -> {
                    if (view.cause == InsuranceCause.SURPLUS) {
                        fundSurplus++;
                    } else if (view.cause == InsuranceCause.TAKEOVER) {
                        fundTakeover++;
                    } else {
                        fundOther++;
                    }
                }
                case ADL -> adlEvents++;
                case BAD_DEBT -> badDebt++;
                default -> {
                }
            }
            offset += buffer.getInt(offset);
        }
        liquidatedAccounts += accounts;
        return accounts;
    }

    /** Accounts the command liquidated, from its event headers and LIQUIDATION events only (engine thread). */
    int liquidatedAccounts(Command c) {
        final EventBuffer events = c.events();
        final DirectBuffer buffer = events.buffer();
        int accounts = 0;
        int last = -1;
        int offset = 0;
        for (int i = 0; i < events.count(); i++) {
            if (buffer.getByte(offset + 4) == EventType.LIQUIDATION.code()) {
                view.decode(buffer, offset);
                if (view.account != last) {
                    accounts++;
                    last = view.account;
                }
            }
            offset += buffer.getInt(offset);
        }
        return accounts;
    }

    /** The command's events include an ADL fill (headers only). */
    static boolean reachedAdl(Command c) {
        final DirectBuffer buffer = c.events().buffer();
        int offset = 0;
        for (int i = 0, n = c.events().count(); i < n; i++) {
            if (buffer.getByte(offset + 4) == EventType.ADL.code()) {
                return true;
            }
            offset += buffer.getInt(offset);
        }
        return false;
    }
}
