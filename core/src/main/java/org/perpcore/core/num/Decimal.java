package org.perpcore.core.num;

/**
 * Decimal text to and from E8 fixed point ({@link Fixed}). Plain decimals only, as Binance sends them and as
 * scenario scripts write them: an optional minus sign, digits, an optional point and at most 8 fractional digits.
 * No exponents, no thousands separators, no plus sign.
 */
public final class Decimal {
    private Decimal() {
    }

    /**
     * Parses a plain decimal into E8.
     *
     * @throws NumberFormatException with a readable reason when the text is not a plain decimal, has more than
     *                               8 fractional digits or does not fit
     */
    public static long parseE8(CharSequence text) {
        final int n = text.length();
        if (n == 0) {
            throw new NumberFormatException("empty number");
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        if (i == n) {
            throw new NumberFormatException("'" + text + "' is not a number");
        }
        long intPart = 0;
        int intDigits = 0;
        while (i < n && text.charAt(i) != '.') {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("'" + text + "' is not a plain decimal number");
            }
            intPart = intPart * 10 + (c - '0');
            if (++intDigits > 11) { // 1e11 * 1e8 does not fit a long
                throw new NumberFormatException("'" + text + "' is too large");
            }
            i++;
        }
        long frac = 0;
        int fracDigits = 0;
        if (i < n) {
            i++; // the point
            if (i == n) {
                throw new NumberFormatException("'" + text + "' ends with a decimal point");
            }
            while (i < n) {
                final char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new NumberFormatException("'" + text + "' is not a plain decimal number");
                }
                if (++fracDigits > 8) {
                    throw new NumberFormatException("'" + text + "' has more than 8 decimal places");
                }
                frac = frac * 10 + (c - '0');
                i++;
            }
        }
        if (intDigits == 0 && fracDigits == 0) {
            throw new NumberFormatException("'" + text + "' is not a number");
        }
        if (intDigits == 0) {
            throw new NumberFormatException("'" + text + "' needs a digit before the decimal point");
        }
        for (int k = fracDigits; k < 8; k++) {
            frac *= 10;
        }
        final long value = Fixed.add(Fixed.mul(intPart, Fixed.E8), frac);
        if (value == Fixed.OVERFLOW || intPart > 92_233_720_368L) {
            throw new NumberFormatException("'" + text + "' is too large");
        }
        return negative ? -value : value;
    }

    /** Appends {@code valueE8} with exactly {@code decimals} fractional digits (0..8), dropping finer digits toward zero. */
    public static StringBuilder appendE8(StringBuilder out, long valueE8, int decimals) {
        long v = valueE8;
        if (v < 0) {
            out.append('-');
            v = -v; // Long.MIN_VALUE never reaches here: it is the overflow sentinel, not a value
        }
        final long intPart = v / Fixed.E8;
        long frac = v % Fixed.E8;
        out.append(intPart);
        if (decimals > 0) {
            out.append('.');
            long div = Fixed.E8 / 10;
            for (int k = 0; k < decimals; k++) {
                out.append((char) ('0' + (frac / div)));
                frac %= div;
                div /= 10;
            }
        }
        return out;
    }

    /** {@code valueE8} printed with the fewest fractional digits that keep it exact ("0.001", "116000", "-3000.5"). */
    public static String toPlain(long valueE8) {
        return appendE8(new StringBuilder(24), valueE8, Fixed.decimalsOf(valueE8)).toString();
    }

    /** {@code valueE8} printed with exactly {@code decimals} fractional digits. */
    public static String toString(long valueE8, int decimals) {
        return appendE8(new StringBuilder(24), valueE8, decimals).toString();
    }
}
