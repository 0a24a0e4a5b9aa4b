package org.conv4j.nn.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.conv4j.core.ConvEngines;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.MiniBatches;
import org.conv4j.nn.io.Checkpoint;
import org.conv4j.nn.optim.Adam;
import org.conv4j.nn.optim.LrSchedule;
import org.conv4j.nn.optim.Optimizer;
import org.conv4j.nn.optim.Sgd;
import org.conv4j.nn.train.Evaluation;
import org.conv4j.nn.train.Models;
import org.conv4j.nn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conv4j train}: trains a model, reporting each epoch, with checkpoints, metrics and a plot. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a CNN. With no options: a small CNN on the embedded 8x8 digits, tested on a held-out 20%.",
            "Exit codes: 0 done, 2 bad input (message says which), 3 training diverged (the last good checkpoint is kept)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--model", paramLabel = "NAME",
            description = "digits-cnn, lenet5, cnn-small, resnet-mini (default: digits-cnn for digits, else cnn-small).")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train in total (default: 10 for digits, else 5).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", defaultValue = "adam", description = "Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.002 for adam, 0.005 on digits; 0.01 for sgd).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine", defaultValue = "cosine",
            description = "Learning-rate schedule per epoch; step halves it every 2 epochs (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--seed", defaultValue = "42", description = "Seed for initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Checkpoint directory, written after every epoch.")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run checkpointed in DIR (model, data, optimiser state) up to --epochs.")
    Path resume;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write per-epoch metrics as JSON.")
    Path metricsFile;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Write the training curves as PNG (default: DIR/training.png with --out).")
    Path plot;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (quick runs).")
    Integer limit;

    @Option(names = "--progress", negatable = true,
            description = "Live progress bar (default: on when attached to a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        JsonObject resumed = resume == null ? null : Checkpoint.readInfo(resume);
        if (resumed != null) {
            adoptCheckpointSettings(resumed);
        }
        if (out == null && resume != null) {
            out = resume;
        }
        engineOptions.apply();
        String dataset = data.name();
        String modelName = model != null ? model : dataset.equals("digits") ? "digits-cnn" : "cnn-small";
        int totalEpochs = epochs != null ? epochs : dataset.equals("digits") ? 10 : 5;
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("--epochs: expected >= 1, got " + totalEpochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: expected >= 1, got " + batch);
        }
        Dataset[] sets = data.load();
        Dataset train = sets[0], test = sets[1];
        if (limit != null) {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit: expected >= 1, got " + limit);
            }
            train = train.subset(train.name(), java.util.stream.IntStream.range(0, Math.min(limit, train.size())).toArray());
        }
        double[] norm = resumed != null ? new double[] {resumed.getAsJsonObject("normalization").get("mean").getAsDouble(),
            resumed.getAsJsonObject("normalization").get("std").getAsDouble()} : train.meanAndStd();
        train = train.normalized(norm[0], norm[1]);
        test = test.normalized(norm[0], norm[1]);

        Sequential net = Models.build(modelName, train.imageShape(), train.classes(), seed);
        Optimizer opt = optimizer(optimizer, momentum, weightDecay);
        // the tiny digits model tolerates (and needs, to finish in seconds) a larger Adam step than PyTorch's default
        double baseLr = lr != null ? lr : opt instanceof Adam ? (dataset.equals("digits") ? 5e-3 : 2e-3) : 1e-2;
        LrSchedule lrs = schedule(schedule, baseLr, totalEpochs);
        Metrics metrics = new Metrics();
        int firstEpoch = 0;
        if (resumed != null) {
            Checkpoint.loadWeights(resume.resolve(Checkpoint.WEIGHTS), net);
            Checkpoint.loadOptimizer(resume, opt);
            firstEpoch = resumed.getAsJsonObject("training").get("epochs_done").getAsInt();
            metrics.readEpochs(resumed.getAsJsonArray("history"));
        }
        JsonObject run = metrics.run;
        run.addProperty("dataset", dataset);
        run.addProperty("model", modelName);
        run.addProperty("parameters", net.parameterCount());
        run.addProperty("engine", ConvEngines.preferred().name());
        run.addProperty("threads", ConvEngines.threads());
        run.addProperty("batch", batch);
        run.addProperty("optimizer", opt.name());
        run.addProperty("lr", baseLr);
        run.addProperty("schedule", schedule);
        run.addProperty("seed", seed);
        run.addProperty("train_size", train.size());
        run.addProperty("test_size", test.size());

        o.printf(Locale.ROOT, "conv4j train: %s on %s (%,d train / %,d test images of %dx%dx%d), %,d parameters%n",
                modelName, dataset, train.size(), test.size(), train.channels(), train.height(), train.width(),
                net.parameterCount());
        o.printf(Locale.ROOT, "engine %s, %d thread(s), batch %d, %s lr %s (%s), seed %d%s%n", ConvEngines.preferred().name(),
                ConvEngines.threads(), batch, opt.name(), baseLr, schedule, seed,
                resumed != null ? ", resuming after epoch " + firstEpoch : "");
        if (firstEpoch >= totalEpochs) {
            o.println("nothing to do: the checkpoint already has " + firstEpoch + " epochs; raise --epochs");
            return 0;
        }

        Trainer trainer = new Trainer(net, opt, lrs);
        MiniBatches batches = new MiniBatches(train, batch, true, seed);
        boolean bar = progress != null ? progress : System.console() != null;
        for (int epoch = firstEpoch; epoch < totalEpochs; epoch++) {
            Trainer.EpochStats stats;
            try {
                stats = runEpoch(trainer, batches, epoch, totalEpochs, bar);
            } catch (Trainer.DivergedException e) {
                System.err.println("conv4j: " + e.getMessage());
                if (out != null && epoch > 0) {
                    System.err.println("conv4j: the last good checkpoint (epoch " + epoch + ") is kept in " + out);
                }
                return 3;
            }
            Evaluation ev = Trainer.evaluate(net, test, Math.max(batch, 256));
            Metrics.Epoch m = new Metrics.Epoch(epoch + 1, stats.lr(), stats.loss(), stats.accuracy(), ev.loss(), ev.accuracy(),
                    stats.seconds(), stats.samplesPerSecond());
            metrics.epochs.add(m);
            o.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1f s, %,.0f samples/s%n",
                    epoch + 1, totalEpochs, m.trainLoss(), 100 * m.trainAccuracy(), m.testLoss(), 100 * m.testAccuracy(),
                    m.seconds(), m.samplesPerSecond());
            if (out != null) {
                Checkpoint.save(out, net, opt, checkpointInfo(modelName, train, dataset, epoch + 1, opt.name(), baseLr, norm, metrics));
            }
        }
        if (metricsFile != null) {
            metrics.write(metricsFile);
            o.println("metrics: " + metricsFile);
        }
        Path png = plot != null ? plot : out != null ? out.resolve("training.png") : null;
        if (png != null) {
            Plots.trainingCurves(png, modelName + " on " + dataset, metrics.epochs);
            o.println("training curves: " + png);
        }
        if (out != null) {
            o.println("checkpoint: " + out + " (conv4j evaluate --checkpoint " + out + ")");
        }
        return 0;
    }

    /** The checkpoint's JSON: what {@code --resume} and {@code evaluate} need to rebuild the run. */
    private JsonObject checkpointInfo(String modelName, Dataset train, String dataset, int epochsDone, String optName,
                                      double baseLr, double[] norm, Metrics metrics) {
        JsonObject info = new JsonObject();
        JsonObject arch = new JsonObject();
        arch.addProperty("model", modelName);
        arch.add("input", new com.google.gson.Gson().toJsonTree(train.imageShape()));
        arch.addProperty("classes", train.classes());
        info.add("architecture", arch);
        JsonObject tr = new JsonObject();
        tr.addProperty("dataset", dataset);
        if (data.dataDir != null) {
            tr.addProperty("data", data.dataDir.toAbsolutePath().toString());
        }
        tr.addProperty("epochs_done", epochsDone);
        tr.addProperty("batch", batch);
        tr.addProperty("seed", seed);
        tr.addProperty("optimizer", optName);
        tr.addProperty("lr", baseLr);
        tr.addProperty("schedule", schedule);
        tr.addProperty("momentum", momentum);
        tr.addProperty("weight_decay", weightDecay);
        if (limit != null) {
            tr.addProperty("limit", limit);
        }
        info.add("training", tr);
        JsonObject n = new JsonObject();
        n.addProperty("mean", norm[0]);
        n.addProperty("std", norm[1]);
        info.add("normalization", n);
        info.add("history", metrics.epochsJson());
        return info;
    }

    private static Trainer.EpochStats runEpoch(Trainer trainer, MiniBatches batches, int epoch, int total, boolean bar) {
        if (!bar) {
            return trainer.trainEpoch(batches, epoch, null);
        }
        long start = System.nanoTime();
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, total))
                .setInitialMax(batches.count()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setUnit(" batches", 1).setMaxRenderedLength(120).build()) {
            return trainer.trainEpoch(batches, epoch, (step, steps, samples, loss, acc) -> {
                double s = (System.nanoTime() - start) / 1e9;
                pb.stepTo(step);
                pb.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.1f%% %,.0f samples/s", loss, 100 * acc, samples / s));
            });
        }
    }

    static Optimizer optimizer(String name, double momentum, double weightDecay) {
        return switch (name) {
            case "sgd" -> new Sgd(momentum, weightDecay);
            case "adam" -> new Adam(0.9, 0.999, 1e-8, weightDecay);
            default -> throw new IllegalArgumentException("--optimizer: expected sgd or adam, got '" + name + "'");
        };
    }

    static LrSchedule schedule(String name, double lr, int epochs) {
        return switch (name) {
            case "constant" -> LrSchedule.constant(lr);
            case "step" -> LrSchedule.step(lr, 2, 0.5);
            case "cosine" -> LrSchedule.cosine(lr, epochs, 0);
            default -> throw new IllegalArgumentException("--schedule: expected constant, step or cosine, got '" + name + "'");
        };
    }

    /**
     * On --resume the run's own settings win (model, data, batch, seed, optimiser): the weights and optimiser
     * state only make sense with them. Only --epochs and --lr may change.
     */
    private void adoptCheckpointSettings(JsonObject info) throws IOException {
        try {
            JsonObject tr = info.getAsJsonObject("training");
            model = info.getAsJsonObject("architecture").get("model").getAsString();
            data.dataset = tr.get("dataset").getAsString();
            if (data.dataDir == null && tr.has("data")) {
                data.dataDir = Path.of(tr.get("data").getAsString());
            }
            batch = tr.get("batch").getAsInt();
            seed = tr.get("seed").getAsLong();
            optimizer = tr.get("optimizer").getAsString();
            if (lr == null) {
                lr = tr.get("lr").getAsDouble();
            }
            schedule = tr.get("schedule").getAsString();
            momentum = tr.get("momentum").getAsDouble();
            weightDecay = tr.get("weight_decay").getAsDouble();
            if (tr.has("limit")) {
                limit = tr.get("limit").getAsInt();
            }
            if (!Files.exists(resume.resolve(Checkpoint.WEIGHTS))) {
                throw new IOException(resume.resolve(Checkpoint.WEIGHTS) + ": no such file");
            }
        } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(resume.resolve(Checkpoint.INFO) + ": corrupt checkpoint description (" + e + ")", e);
        }
    }
}
