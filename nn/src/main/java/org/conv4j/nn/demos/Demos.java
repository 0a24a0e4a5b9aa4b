package org.conv4j.nn.demos;

import java.util.List;

/** The demonstrations, in the lecture's order of ideas. */
public final class Demos {
    private static final List<Demo> ALL = List.of(new UniversalApproximation(), new TemplateMatching(),
            new PaddingStrideDilation(), new ConvAsMatrix(), new Parameters(), new Permutation(), new FeatureMaps());

    private Demos() {
    }

    public static List<Demo> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Demo::name).toList();
    }

    /** The demo called {@code name}, or IllegalArgumentException listing the names. */
    public static Demo named(String name) {
        for (Demo d : ALL) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("demo: expected one of " + names() + ", got '" + name + "'");
    }
}
