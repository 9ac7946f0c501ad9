package org.perpcore.core.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.perpcore.core.book.BookSide;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.Market;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.scenario.EventJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the optimised engine ({@link Engine}: sorted-array book sides, intrusive order lists,
 * primitive hash indexes) against the naive {@link ReferenceEngine} (tree maps of array lists, exact arithmetic),
 * on long seeded streams from {@link RandomCommands}. For every command the two event streams must be equal byte
 * for byte; every {@value #HASH_EVERY} commands and at the end the two state hashes must be equal. Afterwards the
 * test checks that the stream really reached the interesting rules (trades, self-trade prevention of each kind,
 * FOK and GTX refusals, amends keeping and losing priority, market-order band expiries, refusals of every
 * important kind), so it cannot pass on a boring stream.
 *
 * <p>A failure names the seed and the command index, prints the command, both event streams as JSON lines
 * ({@link EventJson}) and the commands before it; a hash mismatch lists the wallets, market totals and price
 * levels that differ.
 *
 * <p>Size: each stream runs {@value #DEFAULT_COMMANDS} commands by default (a few seconds each, for CI). For the
 * full million per stream run
 * {@code mvn -B -o -pl core test -Dtest=DifferentialTest -Dperpcore.diff.commands=1000000}. The coverage check
 * expects at least the default size: far shorter streams may not reach the rarest rules.
 */
class DifferentialTest {
    private static final int DEFAULT_COMMANDS = 200_000;
    private static final int HASH_EVERY = 250;
    private static final int RECENT_COMMANDS = 30;

    static Stream<Arguments> streams() {
        return Stream.of(
            arguments(1L, 2, 120),
            arguments(20_251_010L, 1, 50),
            arguments(0x5EED_CAFEL, 3, 200));
    }

    @ParameterizedTest(name = "seed {0}: {1} market(s), {2} accounts")
    @MethodSource("streams")
    void optimisedEngineMatchesReference(long seed, int markets, int accounts) {
        final int commands = Integer.getInteger("perpcore.diff.commands", DEFAULT_COMMANDS);
        final Run run = new Run(seed, markets, accounts);
        final long startNs = System.nanoTime();
        run.execute(commands);
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        System.out.printf("DifferentialTest seed %d (%d markets, %d accounts): %,d commands in %,d ms%n%s",
            seed, markets, accounts, commands, elapsedMs, run.coverage.summary(run.reference));
        run.coverage.assertExercised(run.reference, markets);
    }

    /** One stream through both engines, compared command by command. */
    private static final class Run {
        final long seed;
        final Engine engine = new Engine();
        final ReferenceEngine reference = new ReferenceEngine();
        final RandomCommands commands;
        final Coverage coverage = new Coverage();
        final EventBuffer referenceOut = new EventBuffer();
        /** Knows account names and market decimals, from the MARKET and DEPOSIT commands' events. */
        final EventJson names = new EventJson();
        final StringBuilder scratch = new StringBuilder();
        final Command[] recent = new Command[RECENT_COMMANDS];

        Run(long seed, int markets, int accounts) {
            this.seed = seed;
            this.commands = new RandomCommands(seed, markets, accounts);
            for (int i = 0; i < recent.length; i++) {
                recent[i] = new Command();
            }
        }

        void execute(int count) {
            final Command c = new Command();
            for (int i = 0; i < count; i++) {
                commands.next(c);
                recent[i % recent.length].copyFrom(c);
                try {
                    engine.apply(c);
                } catch (RuntimeException e) {
                    throw new AssertionError(header(i, c) + "the engine threw\n" + previous(i), e);
                }
                try {
                    reference.apply(c, referenceOut);
                } catch (RuntimeException e) {
                    throw new AssertionError(header(i, c) + "the reference threw (the engine would have wrapped or"
                        + " corrupted state here)\nengine events:\n" + json(c, c.events()) + previous(i), e);
                }
                compareEvents(i, c);
                if (c.type == CommandType.MARKET || c.type == CommandType.DEPOSIT) {
                    names.render(c.seq, c.timestampMs, c.events(), scratch);
                    scratch.setLength(0);
                }
                commands.observe(c.events());
                coverage.record(c);
                if (i % HASH_EVERY == HASH_EVERY - 1) {
                    compareState(i, c);
                }
            }
            compareState(count - 1, c);
        }

        private byte[] mineBytes = new byte[1024];
        private byte[] referenceBytes = new byte[1024];

        /**
         * The events of one command that order matching alone decides (MARKET, ACCOUNT_CREATED, ORDER, TRADE, REJECT),
         * back to back; the risk engine's ACCOUNT, POSITION, MARK and FUNDING events are outside the reference.
         */
        private static byte[] matchingEvents(EventBuffer events, byte[] into, int[] length) {
            final org.agrona.DirectBuffer buffer = events.buffer();
            int p = 0;
            int n = 0;
            while (p < events.length()) {
                final int len = buffer.getInt(p);
                final EventType type = EventType.fromCode(buffer.getByte(p + 4));
                if (type == EventType.MARKET || type == EventType.ACCOUNT_CREATED || type == EventType.ORDER
                    || type == EventType.TRADE || type == EventType.REJECT) {
                    if (n + len > into.length) {
                        into = Arrays.copyOf(into, Math.max(n + len, into.length * 2));
                    }
                    buffer.getBytes(p, into, n, len);
                    n += len;
                }
                p += len;
            }
            length[0] = n;
            return into;
        }

        private final int[] lengthOut = new int[1];

        private void compareEvents(int index, Command c) {
            final EventBuffer mine = c.events();
            mineBytes = matchingEvents(mine, mineBytes, lengthOut);
            final int n = lengthOut[0];
            referenceBytes = matchingEvents(referenceOut, referenceBytes, lengthOut);
            final int m = lengthOut[0];
            final byte[] a = mineBytes;
            final byte[] b = referenceBytes;
            if (n == m && Arrays.equals(a, 0, n, b, 0, m)) {
                return;
            }
            final int at = Arrays.mismatch(a, 0, n, b, 0, m);
            fail(header(index, c)
                + "matching events differ (engine " + n + " bytes, reference " + m
                + " bytes; first difference at byte " + at + ")\n"
                + "engine:\n" + json(c, mine) + "reference:\n" + json(c, referenceOut) + previous(index));
        }

        private void compareState(int index, Command c) {
            final long engineHash = engine.bookHash();
            final long referenceHash = reference.stateHash();
            if (engineHash != referenceHash) {
                fail(header(index, c) + String.format("state hashes differ after it: engine %016x, reference %016x%n",
                    engineHash, referenceHash) + stateDifferences() + previous(index));
            }
        }

        private String header(int index, Command c) {
            return "seed " + seed + ", command #" + index + ": " + CommandText.render(c) + "\n";
        }

        private String json(Command c, EventBuffer events) {
            final StringBuilder out = new StringBuilder();
            names.render(c.seq, c.timestampMs, events, out);
            return out.toString();
        }

        private String previous(int index) {
            final StringBuilder s = new StringBuilder("previous commands:\n");
            for (int i = Math.max(0, index - recent.length + 1); i < index; i++) {
                s.append("  #").append(i).append(' ').append(CommandText.render(recent[i % recent.length])).append('\n');
            }
            return s.toString();
        }

        /** What can be compared through public accessors: counts, wallets, market totals, price levels. */
        private String stateDifferences() {
            final List<String> diffs = new ArrayList<>();
            check(diffs, "accounts", engine.accountCount(), reference.accountCount());
            check(diffs, "markets", engine.marketCount(), reference.marketCount());
            check(diffs, "open orders", engine.openOrderCount(), reference.openOrderCount());
            for (int i = 0; i < Math.min(engine.accountCount(), reference.accountCount()); i++) {
                check(diffs, "wallet of account " + i, engine.account(i).walletE8(), reference.walletE8(i));
            }
            for (int i = 0; i < Math.min(engine.marketCount(), reference.marketCount()); i++) {
                final Market m = engine.market(i);
                check(diffs, "fees collected in market " + i, m.feesCollectedE8(), reference.feesCollectedE8(i));
                check(diffs, "last price of market " + i, m.lastPriceTicks(), reference.lastPriceTicks(i));
                compareLevels(diffs, "market " + i + " bids", m.book().bids(), m.book().levels(),
                    reference.levels(i, true));
                compareLevels(diffs, "market " + i + " asks", m.book().asks(), m.book().levels(),
                    reference.levels(i, false));
            }
            final StringBuilder s = new StringBuilder(diffs.isEmpty()
                ? "no difference in wallets, market totals or price levels: look at order fields and ranks\n"
                : "");
            diffs.stream().limit(40).forEach(d -> s.append("  ").append(d).append('\n'));
            return s.toString();
        }

        private static void compareLevels(List<String> diffs, String what, BookSide side, LevelStore levels,
                                          List<long[]> expected) {
            check(diffs, what + " level count", side.size(), expected.size());
            for (int d = 0; d < Math.min(side.size(), expected.size()); d++) {
                final int level = side.levelAtDepth(d);
                final long[] actual = {levels.price(level), levels.count(level), levels.lots(level)};
                if (!Arrays.equals(actual, expected.get(d))) {
                    diffs.add(what + " depth " + d + ": engine [price, orders, lots] " + Arrays.toString(actual)
                        + ", reference " + Arrays.toString(expected.get(d)));
                }
            }
        }

        private static void check(List<String> diffs, String what, long engineValue, long referenceValue) {
            if (engineValue != referenceValue) {
                diffs.add(what + ": engine " + engineValue + ", reference " + referenceValue);
            }
        }
    }

    /** Counts of what the engine's events show happened, to prove the stream was not boring. */
    private static final class Coverage {
        private final EventView view = new EventView();
        private final Map<RejectCode, Long> rejects = new EnumMap<>(RejectCode.class);
        private final Map<ExpireReason, Long> expiries = new EnumMap<>(ExpireReason.class);
        private final Map<CommandType, Long> commandTypes = new EnumMap<>(CommandType.class);
        private long trades;
        private long selfTrades;
        private long rebates;
        private long amendments;
        private long cancels;

        void record(Command c) {
            if (c.type != null) {
                commandTypes.merge(c.type, 1L, Long::sum);
            }
            final EventBuffer events = c.events();
            int p = 0;
            while (p < events.length()) {
                final int n = view.decode(events.buffer(), p);
                if (n <= 0) {
                    throw new AssertionError("undecodable event at byte " + p + " of " + CommandText.render(c));
                }
                p += n;
                if (view.type == EventType.TRADE) {
                    trades++;
                    if (view.buyer == view.seller) {
                        selfTrades++;
                    }
                    if (view.buyerFeeE8 < 0 || view.sellerFeeE8 < 0) {
                        rebates++;
                    }
                } else if (view.type == EventType.REJECT) {
                    rejects.merge(view.reject, 1L, Long::sum);
                } else if (view.type == EventType.ORDER) {
                    if (view.status == OrderStatus.EXPIRED || view.expireReason != ExpireReason.NONE) {
                        expiries.merge(view.expireReason, 1L, Long::sum);
                    }
                    if (view.execType == ExecType.AMENDMENT) {
                        amendments++;
                    }
                    if (view.execType == ExecType.CANCELED) {
                        cancels++;
                    }
                }
            }
        }

        long rejects(RejectCode code) {
            return rejects.getOrDefault(code, 0L);
        }

        long expiries(ExpireReason reason) {
            return expiries.getOrDefault(reason, 0L);
        }

        void assertExercised(ReferenceEngine reference, int markets) {
            assertTrue(trades > 0, "trades");
            assertTrue(selfTrades > 0, "self-trades under STP NONE");
            assertTrue(amendments > 0, "amendments");
            assertTrue(cancels > 0, "cancels");
            for (ExpireReason reason : List.of(ExpireReason.IOC, ExpireReason.MARKET_BAND, ExpireReason.SELF_TRADE,
                ExpireReason.AMEND)) {
                assertTrue(expiries(reason) > 0, "expiries " + reason);
            }
            for (ReferenceEngine.Path path : ReferenceEngine.Path.values()) {
                if (path != ReferenceEngine.Path.REBATE_PAID || markets >= 2) {
                    assertTrue(reference.count(path) > 0, "rule branch " + path + " never taken");
                }
            }
            if (markets >= 2) {
                assertTrue(rebates > 0, "maker rebates");
            }
            final List<RejectCode> expected = new ArrayList<>(List.of(
                RejectCode.ILLEGAL_CHARS, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, RejectCode.BAD_ACCOUNT,
                RejectCode.INVALID_ORDER_TYPE, RejectCode.INVALID_SIDE, RejectCode.BAD_SYMBOL,
                RejectCode.CANCEL_REJECTED, RejectCode.NO_SUCH_ORDER, RejectCode.BALANCE_NOT_SUFFICIENT,
                RejectCode.MAX_OPEN_ORDER_EXCEEDED, RejectCode.PRICE_LESS_THAN_ZERO,
                RejectCode.PRICE_GREATER_THAN_MAX_PRICE, RejectCode.QTY_LESS_THAN_ZERO,
                RejectCode.QTY_GREATER_THAN_MAX_QTY, RejectCode.PRICE_NOT_INCREASED_BY_TICK_SIZE,
                RejectCode.INVALID_CL_ORD_ID_LEN, RejectCode.PRICE_HIGHER_THAN_MULTIPLIER_UP,
                RejectCode.QTY_NOT_INCREASED_BY_STEP_SIZE, RejectCode.PRICE_LOWER_THAN_MULTIPLIER_DOWN,
                RejectCode.AMOUNT_MUST_BE_POSITIVE, RejectCode.DUPLICATED_CLIENT_ORDER_ID,
                RejectCode.MARKET_ORDER_REJECT, RejectCode.FOK_ORDER_REJECT, RejectCode.GTX_ORDER_REJECT,
                RejectCode.SAME_ORDER, RejectCode.OVERFLOW, RejectCode.INVALID_MARKET_SPEC,
                RejectCode.MARKET_SPEC_LOCKED, RejectCode.UNKNOWN_COMMAND));
            if (markets >= 2) {
                expected.add(RejectCode.QTY_LESS_THAN_MIN_QTY);
                expected.add(RejectCode.MIN_NOTIONAL);
            }
            if (markets >= 3) {
                expected.add(RejectCode.UNABLE_TO_FILL);
            }
            for (RejectCode code : expected) {
                assertTrue(rejects(code) > 0, "no " + code + " reject");
            }
        }

        String summary(ReferenceEngine reference) {
            final StringBuilder s = new StringBuilder();
            s.append(String.format("  commands: %s%n", commandTypes));
            s.append(String.format("  trades %,d (self-trades %,d, with maker rebate %,d), amendments %,d,"
                + " cancels %,d%n", trades, selfTrades, rebates, amendments, cancels));
            s.append(String.format("  expiries: %s%n", expiries));
            s.append("  rule branches:");
            for (ReferenceEngine.Path path : ReferenceEngine.Path.values()) {
                s.append(' ').append(path).append('=').append(reference.count(path));
            }
            s.append(String.format("%n  rejects: "));
            rejects.forEach((code, n) -> s.append(code).append('=').append(n).append(' '));
            return s.append(String.format("%n")).toString();
        }
    }
}
