package org.conv4j.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registry of convolution engines, found with {@link ServiceLoader} on the module path and the
 * class path.
 *
 * <p>Selection ({@link #preferred()}): system property {@code conv4j.engine}, else environment
 * variable {@code CONV4J_ENGINE}, else the available engine with the highest priority. Threads an
 * engine may use: system property {@code conv4j.threads}, default the available processors.
 */
public final class ConvEngines {
    /** System property naming the engine to use. */
    public static final String ENGINE_PROPERTY = "conv4j.engine";
    /** Environment variable naming the engine to use when the property is not set. */
    public static final String ENGINE_ENV = "CONV4J_ENGINE";
    /** System property giving the number of threads an engine may use. */
    public static final String THREADS_PROPERTY = "conv4j.threads";

    private ConvEngines() {
    }

    /** Every engine found whose {@link ConvEngine#isAvailable()} is true, highest priority first. */
    public static List<ConvEngine> available() {
        List<ConvEngine> engines = new ArrayList<>();
        for (ConvEngine e : all()) {
            if (e.isAvailable()) {
                engines.add(e);
            }
        }
        return List.copyOf(engines);
    }

    /** Every engine found, available or not, highest priority first (then by name). */
    public static List<ConvEngine> all() {
        List<ConvEngine> engines = new ArrayList<>();
        ServiceLoader<ConvEngine> loader = ServiceLoader.load(ConvEngine.class, ConvEngines.class.getClassLoader());
        for (ServiceLoader.Provider<ConvEngine> p : loader.stream().toList()) {
            engines.add(p.get());
        }
        if (engines.stream().noneMatch(e -> e.name().equals(NaiveConvEngine.NAME))) {
            engines.add(new NaiveConvEngine()); // the reference is always there, even in odd class loaders
        }
        engines.sort(Comparator.comparingInt(ConvEngine::priority).reversed().thenComparing(ConvEngine::name));
        return List.copyOf(engines);
    }

    /** The available engine with this name (case-insensitive). */
    public static ConvEngine named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: expected an engine name, one of " + names() + ", got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ConvEngine e : all()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                if (!e.isAvailable()) {
                    throw new IllegalArgumentException("name: engine '" + name + "' is installed but not available"
                            + " here; available: " + names());
                }
                return e;
            }
        }
        throw new IllegalArgumentException("name: expected one of the available engines " + names() + ", got '"
                + name + "'");
    }

    /**
     * The engine to use: the one named by system property {@value #ENGINE_PROPERTY}, else by environment
     * variable {@value #ENGINE_ENV}, else the available engine with the highest priority.
     */
    public static ConvEngine preferred() {
        return select(System.getProperty(ENGINE_PROPERTY), System.getenv(ENGINE_ENV));
    }

    /** {@link #preferred()} with the property and environment values given (null when unset). */
    static ConvEngine select(String byProperty, String byEnv) {
        if (byProperty != null && !byProperty.isBlank()) {
            return named(byProperty);
        }
        if (byEnv != null && !byEnv.isBlank()) {
            return named(byEnv);
        }
        return available().getFirst();
    }

    /** The names of the available engines, highest priority first. */
    public static List<String> names() {
        return available().stream().map(ConvEngine::name).collect(Collectors.toList());
    }

    /**
     * Threads an engine may use in one call: system property {@value #THREADS_PROPERTY}, default
     * {@link Runtime#availableProcessors()}.
     */
    public static int threads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + ": expected a whole number >= 1, got '" + v + "'");
    }
}
