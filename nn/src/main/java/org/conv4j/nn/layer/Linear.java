package org.conv4j.nn.layer;

import java.util.Map;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * A fully-connected layer {@code y = x W^T + b}: input {@code [N, in]}, weights {@code [out, in]} (PyTorch's
 * layout), bias {@code [out]}. Runs its own vectorised loops ({@link Kernels}) rather than a 1x1
 * convolution through the SPI: the forward pass is a small GEMM with the batch in the vector lanes, the
 * backward passes are the products {@code dy^T x} and {@code dy W} in the same kind of tile.
 */
public final class Linear implements Layer {
    /** Below this many multiply-adds a pass stays on the calling thread: fork/join costs more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final Workspace outBuf = new Workspace();
    private final Workspace gradInBuf = new Workspace();
    private final Workspace transposedInput = new Workspace();
    private final Workspace transposedOutput = new Workspace();
    private Tensor input;
    private boolean inputGradientNeeded = true;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("in, out: expected >= 1, got " + in + ", " + out);
        }
        this.in = in;
        this.out = out;
        this.weight = Parameter.zeros(out, in);
        this.bias = bias ? Parameter.zeros(out) : null;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Shapes.rank("input", inputShape, 2, "[N, features] (put a Flatten before Linear)");
        if (inputShape[1] != in) {
            throw new IllegalArgumentException("input: expected " + in + " features, got " + inputShape[1]
                    + " in " + java.util.Arrays.toString(inputShape));
        }
        return new int[] {inputShape[0], out};
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] os = outputShape(Shapes.of("input", input));
        int n = os[0];
        Tensor y = outBuf.get(os);
        // y^T = W x^T with the batch in the vector lanes: x is transposed into [in][nPad] (nPad a multiple of
        // the lanes; the padding columns hold leftovers and their results are dropped), the product is
        // computed in 4 x 2-vector tiles, and y^T is transposed back with the bias added
        int lanes = Kernels.BATCH_LANES, nPad = (n + lanes - 1) / lanes * lanes;
        float[] xT = transposedInput.get(in, nPad).data(), yT = transposedOutput.get(out, nPad).data();
        float[] x = input.data(), w = weight.value().data(), yd = y.data();
        float[] b = bias == null ? null : bias.value().data();
        for (int r = 0; r < n; r++) {
            for (int i = 0, xo = r * in; i < in; i++) {
                xT[i * nPad + r] = x[xo + i];
            }
        }
        Kernels.product(w, in, 1, xT, in, yT, nPad, out, threads(n));
        for (int r = 0; r < n; r++) {
            for (int o = 0, yo = r * out; o < out; o++) {
                yd[yo + o] = yT[o * nPad + r] + (b == null ? 0f : b[o]);
            }
        }
        this.input = input;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        int n = input.dim(0);
        Shapes.expect("gradOutput", gradOutput, new int[] {n, out});
        float[] x = input.data(), dy = gradOutput.data(), w = weight.value().data();
        float[] dw = weight.grad().data();
        float[] db = bias == null ? null : bias.grad().data();
        // dW = dy^T x and dx = dy W; sums run along n (resp. o) in order
        Kernels.product(dy, 1, out, x, n, dw, in, out, threads(n));
        if (db != null) {
            for (int o = 0; o < out; o++) {
                float sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += dy[r * out + o];
                }
                db[o] = sum;
            }
        }
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor gradIn = gradInBuf.get(n, in);
        float[] dx = gradIn.data();
        Kernels.product(dy, out, 1, w, out, dx, in, n, threads(n));
        return gradIn;
    }

    private int threads(int n) {
        return (long) n * in * out < PARALLEL_THRESHOLD ? 1 : ConvEngines.threads();
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + (bias == null ? ", no bias)" : ")");
    }
}
