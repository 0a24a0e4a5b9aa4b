package org.conv4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashSet;
import java.util.List;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.Tensor;
import org.junit.jupiter.api.Test;

class ShapesTest {

    @Test
    void flopsAreTwoNKCRSOhOw() {
        assertEquals(2.0 * 64 * 16 * 6 * 25 * 10 * 10, Shapes.LENET_C2.flops());
        assertEquals(2.0 * 64 * 64 * 9 * 56 * 56, Shapes.RESNET_64.flops());
        assertEquals(2.0 * 64 * 3 * 49 * 112 * 112, Shapes.RESNET_STEM.flops(), "stride 2: 112x112 out");
        assertEquals(2.0 * 128 * 9 * 56 * 56, Shapes.DEPTHWISE.flops(), "groups 128: one input channel each");
        assertEquals(2.0 * 64 * 128 * 3136, Shapes.FC.flops());
        assertArrayEquals(new int[] {1, 64, 56, 56}, Shapes.DILATED.outputShape(), "dilation 2 pad 2 keeps 56x56");
    }

    @Test
    void namesAreUniqueAndTheJmhParamListMatches() throws NoSuchFieldException {
        assertEquals(Shapes.ALL.size(), new HashSet<>(Shapes.ALL.stream().map(ConvShape::name).toList()).size());
        String[] jmhValues = ConvBenchmark.class.getField("shape")
                .getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        assertEquals(Shapes.names(Shapes.ALL), String.join(",", jmhValues));
    }

    @Test
    void naiveRunsTheSmallShapesOnly() {
        assertEquals("lenet-c1,lenet-c2,depthwise,fc",
                Shapes.names(Shapes.ALL.stream().filter(Shapes::naiveRuns).toList()));
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shapes.byName("resnet-65"));
        assertTrue(e.getMessage().startsWith("shape: expected one of lenet-c1,lenet-c2,"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 'resnet-65'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pass.of("sideways"));
        assertThrows(IllegalArgumentException.class, () -> BenchThreads.resolve("0"));
        assertEquals(Runtime.getRuntime().availableProcessors(), BenchThreads.resolve("all"));
    }

    @Test
    void shapesJsonCarriesEverythingPyTorchNeeds() {
        JsonArray shapes = JsonParser.parseString(BenchCatalog.shapesJson(Shapes.ALL)).getAsJsonArray();
        assertEquals(Shapes.ALL.size(), shapes.size());
        JsonObject dilated = shapes.get(Shapes.ALL.indexOf(Shapes.DILATED)).getAsJsonObject();
        assertEquals("dilated", dilated.get("name").getAsString());
        assertEquals(2, dilated.get("dilationW").getAsInt());
        assertEquals(2, dilated.get("padLeft").getAsInt());
        assertEquals(Shapes.DILATED.flops(), dilated.get("flops").getAsDouble());
    }

    @Test
    void benchmarkSetUpRunsTheEngineAndRefusesNaiveOnLargeShapes() {
        ConvBenchmark bench = new ConvBenchmark();
        bench.engine = NaiveConvEngine.NAME;
        bench.shape = "lenet-c2";
        bench.pass = "backwardWeight";
        bench.threads = "1";
        bench.setUp();
        Tensor gradWeight = bench.conv();
        assertArrayEquals(Shapes.LENET_C2.weightShape(), gradWeight.shape());
        assertTrue(sumOfSquares(gradWeight) > 0, "the pass wrote its result");
        assertEquals("1", System.getProperty(ConvEngines.THREADS_PROPERTY));
        System.clearProperty(ConvEngines.THREADS_PROPERTY);

        bench.shape = "resnet-64";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bench::setUp);
        assertTrue(e.getMessage().contains("naive engine runs only shapes up to 64.0 MFLOP"), e.getMessage());
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    @Test
    void workloadRunsEveryPassAgainstTheReference() {
        for (Pass pass : List.of(Pass.values())) {
            ConvWorkload w = new ConvWorkload(ConvEngines.named("naive"), Shapes.DEPTHWISE, pass, 1);
            Tensor result = w.run();
            int[] expected = switch (pass) {
                case FORWARD -> Shapes.DEPTHWISE.outputShape();
                case BACKWARD_INPUT -> Shapes.DEPTHWISE.inputShape();
                case BACKWARD_WEIGHT -> Shapes.DEPTHWISE.weightShape();
            };
            assertArrayEquals(expected, result.shape(), pass.id());
            assertTrue(sumOfSquares(result) > 0, pass.id());
        }
    }

    private static double sumOfSquares(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += (double) v * v;
        }
        return s;
    }
}
