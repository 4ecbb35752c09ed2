package dev.mlops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.impl.ArrayExample;

/**
 * The serving benchmarks' model: a Tribuo logistic regression on the breast cancer training split, features
 * standardized with the training rows' mean and population standard deviation.
 *
 * @param features the 30 feature names
 * @param cols     every row's raw value per feature
 * @param mean     the training mean per feature
 * @param std      the training standard deviation per feature
 * @param target   every row's label (0 or 1)
 * @param test     the test split's row indexes
 * @param model    the trained model
 */
record BreastCancerLogistic(String[] features, double[][] cols, double[] mean, double[] std, double[] target,
                            int[] test, Model<Label> model) {

    /** Reads {@code breast_cancer.csv} and {@code breast_cancer_split.json} in {@code data} and trains. */
    static BreastCancerLogistic train(Path data) throws IOException {
        JsonNode split = new ObjectMapper().readTree(data.resolve("breast_cancer_split.json").toFile());
        Table table = CsvReader.builder().inferSchema().build().read(data.resolve("breast_cancer.csv"));
        List<String> featureList = new ArrayList<>(table.schema().names());
        featureList.remove("target");
        String[] features = featureList.toArray(String[]::new);
        int[] train = ints(split.get("train_indices"));
        int[] test = ints(split.get("test_indices"));
        double[][] cols = new double[features.length][];
        double[] mean = new double[features.length];
        double[] std = new double[features.length];
        for (int j = 0; j < features.length; j++) {
            cols[j] = table.toDoubleArray(features[j]);
            for (int i : train) {
                mean[j] += cols[j][i] / train.length;
            }
            for (int i : train) {
                std[j] += (cols[j][i] - mean[j]) * (cols[j][i] - mean[j]) / train.length;
            }
            std[j] = Math.sqrt(std[j]);
        }
        double[] target = table.toDoubleArray("target");
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("bc", factory), factory);
        BreastCancerLogistic partial = new BreastCancerLogistic(features, cols, mean, std, target, test, null);
        for (int i : train) {
            dataset.add(new ArrayExample<>(new Label(Integer.toString((int) target[i])), features, partial.scaled(i)));
        }
        return new BreastCancerLogistic(features, cols, mean, std, target, test,
                new LogisticRegressionTrainer().train(dataset));
    }

    /** Row {@code i}'s standardized features. */
    double[] scaled(int i) {
        double[] x = new double[cols.length];
        for (int j = 0; j < cols.length; j++) {
            x[j] = (cols[j][i] - mean[j]) / std[j];
        }
        return x;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
