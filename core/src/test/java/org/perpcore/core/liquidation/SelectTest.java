package org.perpcore.core.liquidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The selection behind the ADL quantile thresholds gives what a full sort gives, duplicates and all. */
class SelectTest {
    @Test
    void selectsWhatASortWouldPutThere() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2_000; round++) {
            final int n = 1 + random.nextInt(round < 1_000 ? 40 : 5_000);
            final long[] a = new long[n];
            final int distinct = 1 + random.nextInt(round % 3 == 0 ? 3 : n); // few values, or many
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(distinct) - distinct / 2 + (round % 5 == 0 ? Long.MAX_VALUE / 2 : 0);
            }
            if (round % 7 == 0) {
                Arrays.sort(a); // already sorted, and reversed below: the patterns a naive pivot degrades on
            }
            if (round % 14 == 0) {
                for (int i = 0; i < n / 2; i++) {
                    final long t = a[i];
                    a[i] = a[n - 1 - i];
                    a[n - 1 - i] = t;
                }
            }
            final long[] sorted = a.clone();
            Arrays.sort(sorted);
            // the four thresholds the quantiles use, in the order they are taken
            int hi = n - 1;
            for (int k = 0; k < 4; k++) {
                final int at = n - 1 - Math.min(n - 1, (int) ((long) n * (k + 1) / 5));
                assertEquals(sorted[at], AdlRanking.select(a, 0, hi, at), "n=" + n + " at=" + at);
                for (int i = 0; i < at; i++) {
                    assertTrue(a[i] <= a[at]);
                }
                hi = at;
            }
        }
    }
}
