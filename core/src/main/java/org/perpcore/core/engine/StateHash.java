package org.perpcore.core.engine;

import org.perpcore.core.command.Name;

/**
 * An order-independent hash of engine state: each entity (market, account, order, counters) is hashed on its
 * own from its fields in a fixed order, and the entity hashes are added. Addition commutes, so the hash does not
 * depend on the order in which maps or arrays are walked (which differs after a snapshot reload), while any
 * change to any field of any entity changes it. An order's place in its price level is one of its fields, so
 * time priority is part of the state.
 *
 * <p>Public so that other implementations of the same state (the test reference book) hash identically.
 */
public final class StateHash {
    private long sum;

    public void reset() {
        sum = 0;
    }

    public long value() {
        return sum;
    }

    /** Starts an entity of the given kind; feed fields with {@link Entity#add} then {@link Entity#done}. */
    public Entity entity(int kind) {
        entity.h = Name.mix(0x5bd1e995L * (kind + 1));
        return entity;
    }

    private final Entity entity = new Entity();

    public final class Entity {
        private long h;

        public Entity add(long v) {
            h = Name.mix(h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2)));
            return this;
        }

        public Entity add(byte[] bytes, int offset, int length) {
            return add(Name.hash(bytes, offset, length));
        }

        public void done() {
            sum += Name.mix(h);
        }
    }

    public static final int KIND_COUNTERS = 1;
    public static final int KIND_MARKET = 2;
    public static final int KIND_ACCOUNT = 3;
    public static final int KIND_ORDER = 4;
    public static final int KIND_RISK_COUNTERS = 5;
    public static final int KIND_MARKET_RISK = 6;
    public static final int KIND_ACCOUNT_RISK = 7;
    public static final int KIND_POSITION = 8;
    public static final int KIND_CONDITIONAL = 9;
}
