package org.conv4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.Tensor;

/**
 * Adam (Kingma and Ba) with bias correction and L2 weight decay added to the gradient, as PyTorch's
 * {@code Adam}: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final float eps;
    private final float weightDecay;

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam() {
        this(0.9, 0.999, 1e-8, 0);
    }

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        super("exp_avg", "exp_avg_sq");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1, beta2: expected values in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("eps, weightDecay: expected eps > 0 and a finite decay >= 0, got "
                    + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", (double) eps);
        m.put("weight_decay", (double) weightDecay);
        return m;
    }

    @Override
    void update(float[] w, float[] g, Tensor[] state, float lr, long step) {
        float[] m = state[0].data(), v = state[1].data();
        float b1 = (float) beta1, b2 = (float) beta2;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float vScale = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
        for (int i = 0; i < w.length; i++) {
            float d = g[i] + weightDecay * w[i];
            m[i] = b1 * m[i] + (1 - b1) * d;
            v[i] = b2 * v[i] + (1 - b2) * d * d;
            w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) * vScale + eps);
        }
    }
}
