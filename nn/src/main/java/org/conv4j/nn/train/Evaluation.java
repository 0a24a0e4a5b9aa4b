package org.conv4j.nn.train;

/**
 * Test results: mean loss and the confusion matrix ({@code confusion[true][predicted]}).
 *
 * @param loss      mean softmax cross-entropy
 * @param confusion counts by true class (row) and predicted class (column)
 */
public record Evaluation(double loss, long[][] confusion) {

    public long total() {
        long t = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    public double accuracy() {
        long hit = 0;
        for (int i = 0; i < confusion.length; i++) {
            hit += confusion[i][i];
        }
        return (double) hit / total();
    }

    /** The confusion matrix as aligned text with class names for rows (true) and columns (predicted). */
    public String confusionTable(java.util.List<String> classNames) {
        int k = confusion.length;
        int width = 6;
        for (long[] row : confusion) {
            for (long v : row) {
                width = Math.max(width, Long.toString(v).length() + 1);
            }
        }
        int label = 12;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + label + "s", "true\\pred"));
        for (int j = 0; j < k; j++) {
            sb.append(String.format("%" + width + "s", j));
        }
        sb.append(String.format("%9s%n", "recall"));
        for (int i = 0; i < k; i++) {
            String name = i < classNames.size() ? i + " " + classNames.get(i) : Integer.toString(i);
            sb.append(String.format("%-" + label + "s", name.length() > label - 1 ? name.substring(0, label - 1) : name));
            long rowSum = 0;
            for (int j = 0; j < k; j++) {
                sb.append(String.format("%" + width + "d", confusion[i][j]));
                rowSum += confusion[i][j];
            }
            sb.append(String.format("%8.1f%%%n", rowSum == 0 ? 0 : 100.0 * confusion[i][i] / rowSum));
        }
        return sb.toString();
    }
}
