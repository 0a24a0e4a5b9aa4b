package org.conv4j.nn.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.io.Checkpoint;
import org.conv4j.nn.train.Evaluation;
import org.conv4j.nn.train.Models;
import org.conv4j.nn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conv4j evaluate}: test accuracy and confusion matrix of a checkpoint (or of PyTorch-saved weights). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint on its dataset's test set: accuracy and confusion matrix.",
            "Weights saved by PyTorch (safetensors, state_dict names) load with --weights FILE --model NAME --dataset NAME."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = {"--checkpoint", "--model-dir"}, paramLabel = "DIR", description = "A directory written by train --out.")
    Path checkpoint;

    @Option(names = "--weights", paramLabel = "FILE", description = "A safetensors state_dict (instead of --checkpoint).")
    Path weights;

    @Option(names = "--model", paramLabel = "NAME", description = "The architecture, with --weights.")
    String model;

    @Option(names = "--dataset", paramLabel = "NAME", description = "digits, fashion-mnist or mnist (default: the checkpoint's).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory with the IDX files (default: the checkpoint's).")
    Path dataDir;

    @Option(names = "--mean", description = "Normalisation mean with --weights (default: 0, i.e. pixels in [0, 1]).")
    double mean;

    @Option(names = "--std", defaultValue = "1", description = "Normalisation std with --weights (default: ${DEFAULT-VALUE}).")
    double std;

    @Option(names = "--predictions", paramLabel = "FILE", description = "Write each test image's predicted class, one a line.")
    Path predictionsFile;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws IOException {
        engineOptions.apply();
        if ((checkpoint == null) == (weights == null)) {
            throw new IllegalArgumentException("expected exactly one of --checkpoint DIR or --weights FILE");
        }
        String modelName = model;
        String data = dataset;
        Path dir = dataDir;
        double m = mean, s = std;
        Path weightFile = weights;
        if (checkpoint != null) {
            JsonObject info = Checkpoint.readInfo(checkpoint);
            try {
                modelName = modelName != null ? modelName : info.getAsJsonObject("architecture").get("model").getAsString();
                JsonObject tr = info.getAsJsonObject("training");
                data = data != null ? data : tr.get("dataset").getAsString();
                if (dir == null && tr.has("data") && data.equals(tr.get("dataset").getAsString())) {
                    dir = Path.of(tr.get("data").getAsString());
                }
                m = info.getAsJsonObject("normalization").get("mean").getAsDouble();
                s = info.getAsJsonObject("normalization").get("std").getAsDouble();
            } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException e) {
                throw new IOException(checkpoint.resolve(Checkpoint.INFO) + ": corrupt checkpoint description (" + e + ")", e);
            }
            weightFile = checkpoint.resolve(Checkpoint.WEIGHTS);
        } else if (modelName == null) {
            throw new IllegalArgumentException("--model: expected the architecture of --weights, one of " + Models.NAMES);
        }
        if (data == null) {
            data = "digits";
        }
        Dataset test = DataOptions.load(data, dir)[1].normalized(m, s);
        Sequential net = Models.build(modelName, test.imageShape(), test.classes(), 0);
        Checkpoint.loadWeights(weightFile, net);
        long start = System.nanoTime();
        int[] predictions = new int[test.size()];
        Evaluation ev = Trainer.evaluate(net, test, 256, predictions);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s on %s: test accuracy %.2f%% (%,d / %,d), loss %.4f, %.1f s%n", modelName, test.name(),
                100 * ev.accuracy(), Math.round(ev.accuracy() * ev.total()), ev.total(), ev.loss(), seconds);
        System.out.println();
        System.out.print(ev.confusionTable(DataOptions.classNames(data)));
        if (predictionsFile != null) {
            StringBuilder sb = new StringBuilder();
            for (int p : predictions) {
                sb.append(p).append('\n');
            }
            org.conv4j.nn.io.AtomicFiles.write(predictionsFile, sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return 0;
    }
}
