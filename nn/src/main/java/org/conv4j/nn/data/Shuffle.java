package org.conv4j.nn.data;

import java.util.SplittableRandom;

/** Seeded Fisher-Yates permutations. */
public final class Shuffle {
    private Shuffle() {
    }

    /** A uniformly random permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
