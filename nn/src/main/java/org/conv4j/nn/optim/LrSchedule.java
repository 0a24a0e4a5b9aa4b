package org.conv4j.nn.optim;

/** The learning rate for each epoch (counted from 0). */
@FunctionalInterface
public interface LrSchedule {
    double at(int epoch);

    /** The same rate every epoch. */
    static LrSchedule constant(double lr) {
        checkRate(lr);
        return epoch -> lr;
    }

    /** {@code lr * gamma^(epoch / every)}: multiplied by {@code gamma} every {@code every} epochs. */
    static LrSchedule step(double lr, int every, double gamma) {
        checkRate(lr);
        if (every < 1) {
            throw new IllegalArgumentException("every: expected >= 1 epochs, got " + every);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma: expected 0 < gamma <= 1, got " + gamma);
        }
        return epoch -> lr * Math.pow(gamma, epoch / every);
    }

    /** Cosine annealing from {@code lr} at epoch 0 towards {@code min} at epoch {@code epochs}. */
    static LrSchedule cosine(double lr, int epochs, double min) {
        checkRate(lr);
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: expected >= 1, got " + epochs);
        }
        if (!(min >= 0 && min <= lr)) {
            throw new IllegalArgumentException("min: expected 0 <= min <= lr=" + lr + ", got " + min);
        }
        return epoch -> min + (lr - min) * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs)) / 2;
    }

    private static void checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr: expected a finite learning rate > 0, got " + lr);
        }
    }
}
