package org.conv4j.bench;

/** The three passes of a convolution layer; {@link #id()} is the JMH parameter value and report key. */
public enum Pass {
    FORWARD("forward"),
    BACKWARD_INPUT("backwardInput"),
    BACKWARD_WEIGHT("backwardWeight");

    private final String id;

    Pass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Pass of(String id) {
        for (Pass p : values()) {
            if (p.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("pass: expected one of forward, backwardInput, backwardWeight, got '"
                + id + "'");
    }
}
