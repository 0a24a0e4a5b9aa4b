package org.conv4j.bench.report;

/** One max-pool measurement: median seconds per call and bytes allocated per call (NaN without -prof gc). */
public record PoolResult(String shape, String pass, double seconds, double allocBytes) {
}
