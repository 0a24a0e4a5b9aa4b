package org.conv4j.nn.layer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * Batch normalisation over {@code [N, C, H, W]} per channel, as PyTorch's {@code BatchNorm2d}: in training
 * the batch mean and biased variance normalise, and running estimates (unbiased variance) are updated with
 * {@code momentum}; in evaluation the running estimates normalise. Parameters {@code weight} (gamma) and
 * {@code bias} (beta); buffers {@code running_mean}, {@code running_var}, {@code num_batches_tracked}.
 * Statistics are summed in float vector lanes within each plane and in double across planes, one channel
 * per task, so results do not depend on the thread count. Backward recomputes x-hat from the input rather
 * than storing it (one tensor less to write and read).
 */
public final class BatchNorm2d implements Layer {
    /** Below this many elements the layer stays on the calling thread. */
    private static final int PARALLEL_THRESHOLD = 1 << 15;

    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;
    private final float[] mean;
    private final float[] invStd;
    private final Workspace outBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private boolean training = true;
    private boolean lastForwardTraining;
    private Tensor input; // of the last forward

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels: expected >= 1, got " + channels);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps: expected > 0, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum: expected 0 <= momentum <= 1, got " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = Parameter.zeros(channels);
        gamma.value().fill(1f);
        this.beta = Parameter.zeros(channels);
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.zeros(channels).fill(1f);
        this.batchesTracked = Tensor.zeros(new int[0]);
        this.mean = new float[channels];
        this.invStd = new float[channels];
    }

    public Parameter weight() {
        return gamma;
    }

    public Parameter bias() {
        return beta;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Shapes.rank("input", inputShape, 4, "[N, C, H, W]");
        if (inputShape[1] != channels) {
            throw new IllegalArgumentException("input: expected " + channels + " channels, got " + inputShape[1]
                    + " in " + java.util.Arrays.toString(inputShape));
        }
        return inputShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = outputShape(Shapes.of("input", input));
        int n = s[0], plane = s[2] * s[3];
        long count = (long) n * plane;
        if (training && count < 2) {
            throw new IllegalArgumentException("input: expected more than 1 value per channel in training, got "
                    + java.util.Arrays.toString(s));
        }
        Tensor out = outBuf.get(s);
        float[] x = input.data(), y = out.data();
        float[] g = gamma.value().data(), b = beta.value().data();
        float[] rm = runningMean.data(), rv = runningVar.data();
        boolean train = training;
        Parallel.forEach(channels, threads(x.length), c -> {
            float m, is;
            if (train) {
                // two passes (mean, then squared deviations from it): no cancellation when the mean is large;
                // float lanes within a plane, double across planes
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += Kernels.sum(x, (i * channels + c) * plane, plane);
                }
                m = (float) (sum / count);
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * channels + c) * plane;
                    sq += Kernels.dotShifted(x, x, o, plane, m);
                }
                double var = sq / count;
                is = (float) (1 / Math.sqrt(var + eps));
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * (sum / count));
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * sq / (count - 1));
            } else {
                m = rm[c];
                is = (float) (1 / Math.sqrt(rv[c] + eps));
            }
            mean[c] = m;
            invStd[c] = is;
            float scale = g[c] * is, shift = b[c] - m * scale;
            for (int i = 0; i < n; i++) {
                Kernels.affine(x, y, (i * channels + c) * plane, plane, scale, shift);
            }
        });
        if (train) {
            batchesTracked.data()[0]++;
        }
        lastForwardTraining = train;
        this.input = input;
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        int[] s = input.shape();
        Shapes.expect("gradOutput", gradOutput, s);
        int n = s[0], plane = s[2] * s[3];
        long count = (long) n * plane;
        Tensor gradIn = gradBuf.get(s);
        float[] dy = gradOutput.data(), x = input.data(), dx = gradIn.data();
        float[] g = gamma.value().data(), dg = gamma.grad().data(), db = beta.grad().data();
        boolean batchStats = lastForwardTraining;
        Parallel.forEach(channels, threads(dy.length), c -> {
            float m = mean[c], is = invStd[c];
            double sumDy = 0, sumDyXc = 0;
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                sumDy += Kernels.sum(dy, o, plane);
                sumDyXc += Kernels.dotShifted(x, dy, o, plane, m);
            }
            double sumDyXh = sumDyXc * is; // x-hat = (x - mean) * invStd, recomputed rather than stored
            db[c] = (float) sumDy;
            dg[c] = (float) sumDyXh;
            float scale = g[c] * is;
            // with batch statistics the mean and variance depend on x too, which removes the gradient's
            // components along 1 and along x-hat: dx = scale (dy - mean(dy) - x-hat mean(dy x-hat)),
            // expanded to dx = a dy + b x + c
            double meanDy = batchStats ? sumDy / count : 0, meanDyXh = batchStats ? sumDyXh / count : 0;
            float a = scale;
            float bx = (float) (-scale * is * meanDyXh);
            float c0 = (float) (-scale * meanDy + scale * is * meanDyXh * m);
            for (int i = 0; i < n; i++) {
                Kernels.combine(a, dy, bx, x, c0, dx, (i * channels + c) * plane, plane);
            }
        });
        return gradIn;
    }

    private static int threads(int elements) {
        return elements < PARALLEL_THRESHOLD ? 1 : ConvEngines.threads();
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", gamma);
        m.put("bias", beta);
        return m;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        m.put("num_batches_tracked", batchesTracked);
        return m;
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + channels + ")";
    }
}
