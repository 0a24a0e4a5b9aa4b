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
 * Statistics are summed in double, one channel per task, so results do not depend on the thread count.
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
    private final Workspace normBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private boolean training = true;
    private boolean lastForwardTraining;
    private Tensor normalized; // x-hat of the last forward

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
        normalized = normBuf.get(s);
        float[] x = input.data(), y = out.data(), xh = normalized.data();
        float[] g = gamma.value().data(), b = beta.value().data();
        float[] rm = runningMean.data(), rv = runningVar.data();
        boolean train = training;
        Parallel.forEach(channels, threads(x.length), c -> {
            float m, is;
            if (train) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * channels + c) * plane;
                    for (int j = 0; j < plane; j++) {
                        sum += x[o + j];
                    }
                }
                double mu = sum / count, sq = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * channels + c) * plane;
                    for (int j = 0; j < plane; j++) {
                        double d = x[o + j] - mu;
                        sq += d * d;
                    }
                }
                double var = sq / count;
                m = (float) mu;
                is = (float) (1 / Math.sqrt(var + eps));
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mu);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * sq / (count - 1));
            } else {
                m = rm[c];
                is = (float) (1 / Math.sqrt(rv[c] + eps));
            }
            mean[c] = m;
            invStd[c] = is;
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    float v = (x[o + j] - m) * is;
                    xh[o + j] = v;
                    y[o + j] = v * g[c] + b[c];
                }
            }
        });
        if (train) {
            batchesTracked.data()[0]++;
        }
        lastForwardTraining = train;
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (normalized == null) {
            throw new IllegalStateException("backward before forward");
        }
        int[] s = normalized.shape();
        Shapes.expect("gradOutput", gradOutput, s);
        int n = s[0], plane = s[2] * s[3];
        long count = (long) n * plane;
        Tensor gradIn = gradBuf.get(s);
        float[] dy = gradOutput.data(), xh = normalized.data(), dx = gradIn.data();
        float[] g = gamma.value().data(), dg = gamma.grad().data(), db = beta.grad().data();
        boolean batchStats = lastForwardTraining;
        Parallel.forEach(channels, threads(dy.length), c -> {
            double sumDy = 0, sumDyXh = 0;
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    sumDy += dy[o + j];
                    sumDyXh += (double) dy[o + j] * xh[o + j];
                }
            }
            db[c] = (float) sumDy;
            dg[c] = (float) sumDyXh;
            float scale = g[c] * invStd[c];
            // with batch statistics the mean and variance depend on x too, which removes the gradient's
            // components along 1 and along x-hat
            float meanDy = batchStats ? (float) (sumDy / count) : 0f;
            float meanDyXh = batchStats ? (float) (sumDyXh / count) : 0f;
            for (int i = 0; i < n; i++) {
                int o = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    dx[o + j] = scale * (dy[o + j] - meanDy - xh[o + j] * meanDyXh);
                }
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
