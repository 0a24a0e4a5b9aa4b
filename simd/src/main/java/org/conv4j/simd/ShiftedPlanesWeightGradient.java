package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;

/**
 * The weight gradient of the {@link ShiftedPlanesConvolution} shapes (LeNet conv1: 6 outputs x 25
 * columns): {@code dW[k][c][t] = sum over images n, positions p of dy[n][k][p] * shifted[n][c][s][p + r*outW]}.
 * The output gradient is read where it is (NCHW: a plane's positions are contiguous, exactly the
 * shifted planes' positions), the input is packed per image into shifted planes in L1, and the gradient
 * tile ({@link GradientTile}: 6 outputs x 4 columns of vector partial sums) runs along the plane. No
 * gather, no scatter, nothing packed through memory (the image-lanes path gathers every pixel of both
 * tensors into lanes first).
 *
 * <p>The batch is cut into {@link #SLICES} slices of a size that depends only on the batch; each task
 * sums one slice into vector partial sums, reduces their lanes once and writes its own partial
 * gradient; the slices are added in order, so the result does not depend on the thread count.
 */
final class ShiftedPlanesWeightGradient {
    /** Batch slices, one task each: enough for the threads, few partial gradients to add. */
    static final int SLICES = 8;

    private ShiftedPlanesWeightGradient() {
    }

    /**
     * True when the forward pass takes the shifted planes, the output plane is whole vectors (the tile
     * reads the output gradient in place, with no tail) and the outputs fill the tile's rows (rows past
     * the last output would read the next image's gradient).
     */
    static boolean applies(ConvGeometry g) {
        ConvPlan plan = ConvPlan.forward(g);
        return ShiftedPlanesConvolution.applies(plan) && plan.outH() * plan.outW() % LANES == 0
                && g.k() % GradientTile.choose(g.k(), g.c() * plan.taps()).rows() == 0;
    }

    static void run(ConvGeometry g, float[] src, float[] dy, float[] dw) {
        ConvPlan plan = ConvPlan.forward(g);
        int threads = ConvEngines.threads();
        int k = g.k(), columns = g.c() * plan.taps(), positions = plan.outH() * plan.outW();
        GradientTile tile = GradientTile.choose(k, columns);
        int kPanels = k / tile.rows(), colTiles = PlaneLayout.ceilDiv(columns, tile.cols());
        int[] steps = ShiftedPlanesConvolution.steps(plan);
        int[] colOff = Arrays.copyOf(steps, colTiles * tile.cols()); // padding columns read step 0 and are dropped
        int tileFloats = tile.floats(), accFloats = kPanels * colTiles * tileFloats;
        int weights = k * columns;
        int perSlice = PlaneLayout.ceilDiv(g.n(), SLICES), slices = PlaneLayout.ceilDiv(g.n(), perSlice);
        Workspace ws = Workspace.acquire();
        try {
            float[] partial = ws.weights = Workspace.grow(ws.weights, slices * weights);
            Parallel.forEach(slices, threads, slice -> {
                float[] acc = Workspace.task(Workspace.WEIGHTS, accFloats);
                Arrays.fill(acc, 0, accFloats, 0f);
                for (int n = slice * perSlice, nEnd = Math.min(g.n(), n + perSlice); n < nEnd; n++) {
                    float[] shifted = ShiftedPlanesConvolution.packImage(plan, src, n);
                    for (int kp = 0; kp < kPanels; kp++) {
                        int db = (n * k + kp * tile.rows()) * positions;
                        for (int ct = 0; ct < colTiles; ct++) {
                            tile.accumulate(dy, db, positions, shifted, 0, colOff, ct * tile.cols(), positions, 1, 0, 0,
                                    acc, (kp * colTiles + ct) * tileFloats);
                        }
                    }
                }
                for (int kp = 0; kp < kPanels; kp++) {
                    for (int ct = 0; ct < colTiles; ct++) {
                        for (int m = 0; m < tile.rows(); m++) {
                            for (int j = 0; j < tile.cols() && ct * tile.cols() + j < columns; j++) {
                                partial[slice * weights + (kp * tile.rows() + m) * columns + ct * tile.cols() + j] =
                                        tile.sum(acc, (kp * colTiles + ct) * tileFloats, m, j);
                            }
                        }
                    }
                }
            });
            WeightGradient.addPartials(partial, slices, weights, dw, true, threads);
        } finally {
            ws.release();
        }
    }
}
