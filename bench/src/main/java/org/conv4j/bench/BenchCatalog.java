package org.conv4j.bench;

import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;

/**
 * What the runner script asks the benchmarks jar before it starts JMH, one answer per command:
 * <ul>
 *   <li>{@code engines}: the available engines, comma-separated (JMH's {@code -p engine=} form);</li>
 *   <li>{@code shapes}: every standard shape; {@code naive-shapes}: those the naive engine runs;</li>
 *   <li>{@code shapes-json}: the shapes with sizes, spec and FLOPs as JSON, for {@code pytorch_bench.py},
 *       so the shapes are defined once, here, for both conv4j and PyTorch.</li>
 * </ul>
 */
public final class BenchCatalog {
    private BenchCatalog() {
    }

    public static void main(String[] args) {
        String command = args.length == 1 ? args[0] : "";
        System.out.println(switch (command) {
            case "engines" -> String.join(",", ConvEngines.available().stream().map(ConvEngine::name).toList());
            case "shapes" -> Shapes.names(Shapes.ALL);
            case "naive-shapes" -> Shapes.names(Shapes.ALL.stream().filter(Shapes::naiveRuns).toList());
            case "shapes-json" -> shapesJson(Shapes.ALL);
            default -> throw new IllegalArgumentException("command: expected one of engines, shapes, naive-shapes,"
                    + " shapes-json, got " + String.join(" ", args));
        });
    }

    /** The shapes as a JSON array of objects with the sizes, the spec's fields and the FLOPs per pass. */
    static String shapesJson(List<ConvShape> shapes) {
        List<Map<String, Object>> out = shapes.stream().map(BenchCatalog::describe).toList();
        return new GsonBuilder().setPrettyPrinting().create().toJson(out);
    }

    private static Map<String, Object> describe(ConvShape s) {
        Conv2dSpec spec = s.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("n", s.n());
        m.put("c", s.c());
        m.put("h", s.h());
        m.put("w", s.w());
        m.put("k", s.k());
        m.put("r", s.r());
        m.put("s", s.s());
        m.put("strideH", spec.strideH());
        m.put("strideW", spec.strideW());
        m.put("padTop", spec.padTop());
        m.put("padBottom", spec.padBottom());
        m.put("padLeft", spec.padLeft());
        m.put("padRight", spec.padRight());
        m.put("dilationH", spec.dilationH());
        m.put("dilationW", spec.dilationW());
        m.put("groups", spec.groups());
        m.put("flops", s.flops());
        return m;
    }
}
