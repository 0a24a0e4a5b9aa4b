package org.conv4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.Tensor;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's {@code SGD}:
 * {@code d = g + wd*w; buf = momentum*buf + d (buf = d on the first step); w -= lr*buf}.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final float weightDecay;

    public Sgd(double momentum, double weightDecay) {
        super("momentum_buffer");
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum: expected 0 <= momentum < 1, got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay: expected a finite value >= 0, got " + weightDecay);
        }
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("momentum", (double) momentum);
        m.put("weight_decay", (double) weightDecay);
        return m;
    }

    @Override
    void update(float[] w, float[] g, Tensor[] state, float lr, long step) {
        float[] buf = state[0].data();
        boolean first = buf.length > 0 && step == 1;
        for (int i = 0; i < w.length; i++) {
            float d = g[i] + weightDecay * w[i];
            if (momentum != 0) {
                buf[i] = first ? d : momentum * buf[i] + d;
                d = buf[i];
            }
            w[i] -= lr * d;
        }
    }
}
