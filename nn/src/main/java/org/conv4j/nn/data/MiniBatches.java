package org.conv4j.nn.data;

import java.util.SplittableRandom;
import org.conv4j.core.Tensor;

/**
 * Mini-batches over a dataset into reused tensors: {@link #start(int)} begins an epoch (shuffled from
 * {@code seed} and the epoch number, so epoch e's order is the same however the run got there, which is
 * what makes {@code --resume} reproducible), {@link #next()} fills the batch. The last batch of an epoch
 * holds the remainder; it has its own tensor, allocated once.
 */
public final class MiniBatches {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int[] order;
    private final Tensor full;
    private final Tensor last; // null when the size divides evenly
    private final int[] labels;
    private int position;
    private Tensor current;
    private int currentSize;

    public MiniBatches(Dataset data, int batchSize, boolean shuffle, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("data: expected a dataset, got null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = Math.min(batchSize, data.size());
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = new int[data.size()];
        this.full = Tensor.zeros(this.batchSize, data.channels(), data.height(), data.width());
        int rest = data.size() % this.batchSize;
        this.last = rest == 0 ? null : Tensor.zeros(rest, data.channels(), data.height(), data.width());
        this.labels = new int[this.batchSize];
    }

    /** Batches per epoch. */
    public int count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** Begins epoch {@code epoch}: the order is a function of the seed and the epoch only. */
    public void start(int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Shuffle.shuffle(order, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        }
        position = 0;
    }

    public boolean hasNext() {
        return position < order.length;
    }

    /** Fills and returns the next batch's images {@code [B, C, H, W]}; its labels are in {@link #labels()}. */
    public Tensor next() {
        if (!hasNext()) {
            throw new IllegalStateException("no batch left in this epoch; call start(epoch)");
        }
        int b = Math.min(batchSize, order.length - position);
        current = b == batchSize ? full : last;
        int per = data.imageSize();
        float[] src = data.images(), dst = current.data();
        int[] y = data.labels();
        for (int i = 0; i < b; i++) {
            int idx = order[position + i];
            System.arraycopy(src, idx * per, dst, i * per, per);
            labels[i] = y[idx];
        }
        position += b;
        currentSize = b;
        return current;
    }

    /** The labels of the last batch: the first {@link #size()} entries are valid. */
    public int[] labels() {
        return labels;
    }

    /** The number of images in the last batch. */
    public int size() {
        return currentSize;
    }
}
