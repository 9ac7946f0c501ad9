package org.perpcore.core.trigger;

/**
 * Every waiting conditional order of one market that watches one price (the last trade price, or the mark), by what
 * will fire it:
 * <ul>
 *   <li>{@link #falling}: STOP / STOP_MARKET sells and TAKE_PROFIT / TAKE_PROFIT_MARKET buys, which fire when the
 *       price is at or below their stop price (highest stop first);</li>
 *   <li>{@link #rising}: STOP buys and TAKE_PROFIT sells, which fire at or above it (lowest first);</li>
 *   <li>{@link #sellActivation} / {@link #buyActivation}: trailing stops not yet active, by activation price (a sell
 *       activates when the price reaches its activation price from below, a buy from above);</li>
 *   <li>{@link #sellTrailing} / {@link #buyTrailing}: active trailing stops ({@link TrailingBook});</li>
 *   <li>{@link #held}: orders with priceProtect whose stop was reached while the mark and the last price were too far
 *       apart: they fire once the two are close again, if the price is still beyond the stop.</li>
 * </ul>
 * Single writer: the engine thread.
 */
public final class PriceTriggers {
    public final PriceQueue falling;
    public final PriceQueue rising;
    public final PriceQueue sellActivation;
    public final PriceQueue buyActivation;
    public final TrailingBook sellTrailing;
    public final TrailingBook buyTrailing;
    public final HandleList held;

    public PriceTriggers(HandleLinks links) {
        falling = new PriceQueue(true, links);
        rising = new PriceQueue(false, links);
        sellActivation = new PriceQueue(false, links);
        buyActivation = new PriceQueue(true, links);
        sellTrailing = new TrailingBook(true, links);
        buyTrailing = new TrailingBook(false, links);
        held = new HandleList(links);
    }

    /** Orders held in all the structures. */
    public int size() {
        return falling.size() + rising.size() + sellActivation.size() + buyActivation.size() + sellTrailing.size()
            + buyTrailing.size() + held.size();
    }
}
