package org.conv4j.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.conv4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/** Optimiser updates against hand-computed values of PyTorch's update rules. */
class OptimizerTest {

    private static Map<String, Parameter> param(float w, float g) {
        Parameter p = Parameter.zeros(1);
        p.value().data()[0] = w;
        p.grad().data()[0] = g;
        return Map.of("w", p);
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        Map<String, Parameter> p = param(1f, 0.5f);
        Sgd sgd = new Sgd(0.9, 0.1);
        sgd.step(p, 0.1); // d = 0.5 + 0.1*1 = 0.6; buf = 0.6; w = 1 - 0.06 = 0.94
        assertEquals(0.94f, p.get("w").value().data()[0], 1e-7);
        sgd.step(p, 0.1); // d = 0.5 + 0.094 = 0.594; buf = 0.54 + 0.594 = 1.134; w = 0.94 - 0.1134
        assertEquals(0.8266f, p.get("w").value().data()[0], 1e-6);
        assertEquals(1.134f, sgd.state().get("w.momentum_buffer").data()[0], 1e-6);
    }

    @Test
    void adamFirstStepsMatchTheFormula() {
        Map<String, Parameter> p = param(1f, 0.5f);
        Adam adam = new Adam();
        adam.step(p, 0.01);
        // first step: m-hat = g, v-hat = g^2, so w -= lr * g/|g| (up to eps)
        assertEquals(0.99f, p.get("w").value().data()[0], 1e-6);
        p.get("w").grad().data()[0] = -1f;
        adam.step(p, 0.01);
        double m = 0.9 * 0.05 + 0.1 * -1, v = 0.999 * 0.00025 + 0.001 * 1;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertEquals(0.99 - 0.01 * mh / (Math.sqrt(vh) + 1e-8), p.get("w").value().data()[0], 1e-6);
        assertEquals(2, adam.steps());
    }

    @Test
    void stateRoundTripsForResume() {
        Map<String, Parameter> a = param(1f, 0.3f), b = param(1f, 0.3f);
        Adam first = new Adam();
        first.step(a, 0.01);
        Adam resumed = new Adam();
        resumed.loadState(Map.of("w.exp_avg", first.state().get("w.exp_avg").copy(),
                "w.exp_avg_sq", first.state().get("w.exp_avg_sq").copy()), first.steps());
        b.get("w").value().data()[0] = a.get("w").value().data()[0];
        first.step(a, 0.01);
        resumed.step(b, 0.01);
        assertArrayEquals(a.get("w").value().data(), b.get("w").value().data());
    }

    @Test
    void mismatchedStateIsRejected() {
        Sgd sgd = new Sgd(0.9, 0);
        sgd.loadState(Map.of("other.momentum_buffer", org.conv4j.core.Tensor.zeros(1)), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.step(param(1, 1), 0.1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("w.momentum_buffer"), e.getMessage());
    }

    @Test
    void schedules() {
        assertEquals(0.1, LrSchedule.constant(0.1).at(7));
        LrSchedule step = LrSchedule.step(0.1, 2, 0.5);
        assertEquals(0.1, step.at(1), 1e-15);
        assertEquals(0.05, step.at(2), 1e-15);
        assertEquals(0.025, step.at(5), 1e-15);
        LrSchedule cos = LrSchedule.cosine(0.1, 10, 0);
        assertEquals(0.1, cos.at(0), 1e-15);
        assertEquals(0.05, cos.at(5), 1e-12);
        assertEquals(0, cos.at(10), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(1.5, 0));
    }
}
