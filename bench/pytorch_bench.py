#!/usr/bin/env python3
"""Times conv4j's standard shapes in PyTorch, for the side-by-side columns of the bench report.

The shapes come from the benchmarks jar (`BenchCatalog shapes-json`), so both sides time exactly the
same problems. Each pass is what PyTorch itself runs in training: forward is F.conv2d (no bias, as in
ConvBenchmark), the two backward passes are aten.convolution_backward with one output selected (the
kernel autograd calls). Time per pass = median of repetitions after a warm-up; threads via
torch.set_num_threads. Writes JSON that org.conv4j.bench.report.TorchResults reads; when torch cannot be
imported it writes {"available": false, "reason": ...} and exits 0, so the report says torch is absent.

usage: pytorch_bench.py --shapes shapes.json --out pytorch.json [--threads 1,2] [--only a,b]
                        [--passes forward,backwardInput,backwardWeight] [--reps 15] [--min-time 0.5]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

PASSES = ("forward", "backwardInput", "backwardWeight")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shapes", required=True, help="JSON from `BenchCatalog shapes-json`")
    p.add_argument("--out", required=True, help="where to write the results JSON")
    p.add_argument("--threads", default="1", help="comma-separated thread counts, e.g. 1,2")
    p.add_argument("--only", default="", help="comma-separated shape names (default: all)")
    p.add_argument("--passes", default=",".join(PASSES), help="comma-separated passes")
    p.add_argument("--reps", type=int, default=15, help="at least this many timed repetitions")
    p.add_argument("--min-time", type=float, default=0.5, help="and at least this many seconds of them")
    p.add_argument("--warmup-time", type=float, default=0.3, help="seconds of untimed calls first")
    return p.parse_args(argv)


def write(path, payload):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


def blas_description(torch):
    """Which BLAS and convolution library this torch uses, from its build config and the BLAS link."""
    config = torch.__config__.show()
    parts = []
    for line in config.splitlines():
        line = line.strip(" -")
        if "MKL-DNN" in line or "oneDNN" in line:
            parts.append(line)
    blas_info = [s.split("=", 1)[1] for s in config.replace(",", "\n").split() if s.startswith("BLAS_INFO=")]
    if blas_info:
        blas = "BLAS_INFO=" + blas_info[0]
        link = "/usr/lib/x86_64-linux-gnu/libblas.so.3"
        if blas_info[0] == "generic" and os.path.exists(link):
            blas += " -> " + os.path.realpath(link)
        parts.append(blas)
    return "; ".join(parts) or "unknown"


def make_pass(torch, shape, pass_name):
    """A zero-argument function running one pass of `shape` on fresh random operands."""
    import torch.nn.functional as F

    g = shape["groups"]
    x = torch.rand(shape["n"], shape["c"], shape["h"], shape["w"]) * 2 - 1
    w = torch.rand(shape["k"], shape["c"] // g, shape["r"], shape["s"]) * 2 - 1
    stride = (shape["strideH"], shape["strideW"])
    dilation = (shape["dilationH"], shape["dilationW"])
    if shape["padTop"] == shape["padBottom"] and shape["padLeft"] == shape["padRight"]:
        padding = (shape["padTop"], shape["padLeft"])
    else:  # PyTorch pads symmetrically: pad explicitly (the copy is then part of the timed work)
        x = F.pad(x, (shape["padLeft"], shape["padRight"], shape["padTop"], shape["padBottom"]))
        padding = (0, 0)
    y = F.conv2d(x, w, None, stride, padding, dilation, g)
    gy = torch.rand_like(y) * 2 - 1
    if pass_name == "forward":
        return lambda: F.conv2d(x, w, None, stride, padding, dilation, g)
    mask = [pass_name == "backwardInput", pass_name == "backwardWeight", False]
    backward = torch.ops.aten.convolution_backward
    return lambda: backward(gy, x, w, None, stride, padding, dilation, False, (0, 0), g, mask)


def time_pass(fn, reps, min_time, warmup_time):
    """Median seconds per call after `warmup_time` seconds of untimed calls."""
    start = time.perf_counter()
    while True:
        fn()
        if time.perf_counter() - start >= warmup_time:
            break
    samples = []
    start = time.perf_counter()
    while len(samples) < reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), len(samples)


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install's own error
        write(args.out, {"available": False,
                         "reason": "python3 %s (%s) cannot import torch: %s; on Debian: apt-get install python3-torch"
                                   % (platform.python_version(), sys.executable, e)})
        print("pytorch_bench: torch absent (%s); wrote %s" % (e, args.out), file=sys.stderr)
        return 0
    with open(args.shapes, encoding="utf-8") as f:
        shapes = json.load(f)
    only = {s for s in args.only.split(",") if s}
    if only:
        unknown = only - {s["name"] for s in shapes}
        if unknown:
            raise SystemExit("--only: expected names from %s, got unknown %s" % (args.shapes, sorted(unknown)))
        shapes = [s for s in shapes if s["name"] in only]
    passes = [p for p in args.passes.split(",") if p]
    for p in passes:
        if p not in PASSES:
            raise SystemExit("--passes: expected some of %s, got %s" % (",".join(PASSES), p))
    threads = [int(t) for t in args.threads.split(",") if t]
    torch.manual_seed(0)
    results = []
    with torch.no_grad():
        for t in threads:
            torch.set_num_threads(t)
            for shape in shapes:
                for p in passes:
                    median, count = time_pass(make_pass(torch, shape, p), args.reps, args.min_time,
                                              args.warmup_time)
                    gflops = shape["flops"] / median / 1e9
                    print("pytorch %-15s %-15s t=%d %9.3f ms %8.2f GFLOP/s" % (shape["name"], p, t,
                                                                            median * 1e3, gflops),
                          file=sys.stderr)
                    results.append({"shape": shape["name"], "pass": p, "threads": t,
                                    "medianSeconds": median, "repetitions": count})
    write(args.out, {"available": True, "reason": "", "torchVersion": torch.__version__,
                     "blas": blas_description(torch), "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
