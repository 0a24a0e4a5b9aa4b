package org.conv4j.nn.layer;

import java.util.SplittableRandom;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the rest scaled by
 * {@code 1/(1-p)}, so evaluation is the identity. The mask comes from a seeded generator: the same seed and
 * call sequence give the same masks.
 */
public final class Dropout implements Layer {
    private final double p;
    private final SplittableRandom random;
    private final Workspace outBuf = new Workspace();
    private final Workspace maskBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private boolean training = true;
    private Tensor mask; // scale per element of the last training forward; null after an eval forward

    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("p: expected 0 <= p < 1, got " + p);
        }
        this.p = p;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = Shapes.of("input", input);
        if (!training || p == 0) {
            mask = null;
            return input;
        }
        mask = maskBuf.get(shape);
        Tensor out = outBuf.get(shape);
        float keep = (float) (1 / (1 - p));
        float[] m = mask.data(), x = input.data(), y = out.data();
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() < p ? 0f : keep;
            y[i] = x[i] * m[i];
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (mask == null) {
            return gradOutput;
        }
        Shapes.expect("gradOutput", gradOutput, mask.shape());
        Tensor gradIn = gradBuf.get(mask.shape());
        float[] m = mask.data(), dy = gradOutput.data(), dx = gradIn.data();
        for (int i = 0; i < dx.length; i++) {
            dx[i] = dy[i] * m[i];
        }
        return gradIn;
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    public String describe() {
        return "Dropout(p=" + p + ")";
    }
}
