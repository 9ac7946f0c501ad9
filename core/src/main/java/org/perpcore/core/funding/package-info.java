/**
 * Mark price and funding rate, following Binance USDⓈ-M perpetual futures: {@link
 * org.perpcore.core.funding.ImpactPrices} (impact bid / ask of a book for the impact margin notional), {@link
 * org.perpcore.core.funding.FundingCalculator} (premium index sampled every 5 s, weighted average, funding rate,
 * payment rounding) and {@link org.perpcore.core.funding.MarkPriceCalculator} (median of P1, P2 and the last price,
 * 30-second moving average of the basis, forced marks).
 *
 * <p>Conventions: prices and rates are {@code long} E8 (value x 1e8; a rate of 0.01 % is {@code 10_000}); times are
 * milliseconds since the epoch taken from command timestamps, never from a clock; 0 stands for "unknown" in price
 * inputs and outputs. Everything is a function of the sequence of calls, so a replay gives bit-identical results.
 * No floating point; products go through 128 bits; every rounding direction is written down where it happens.
 * The engine wires these in; nothing here settles money.
 */
package org.perpcore.core.funding;
