package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.NotFoundException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BEIR-format retrieval dataset: {@code corpus.jsonl} ({@code _id, title, text}),
 * {@code queries.jsonl} ({@code _id, text}) and {@code qrels/<split>.tsv}
 * ({@code query-id, corpus-id, score} with a header line).
 *
 * @param corpus  documents as BEIR and MTEB encode them: text {@code (title + " " + text).strip()},
 *                metadata {@code title}
 * @param queries the queries that have judgments in the split, by id, in file order
 * @param qrels   relevance grades by query id, then document id
 */
public record BeirDataset(List<Document> corpus, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

    /** Reads a dataset directory and one qrels split (e.g. {@code test}). */
    public static BeirDataset load(Path dir, String split) {
        Path corpusFile = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        for (Path p : List.of(corpusFile, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new NotFoundException("BEIR file", p.toString(), List.of("corpus.jsonl", "queries.jsonl",
                        "qrels/" + split + ".tsv"));
            }
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(qrelsFile, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank() || (no == 1 && line.startsWith("query-id"))) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw DataFormatException.builder("expected 3 tab-separated fields (query-id, corpus-id, score)")
                            .source(qrelsFile).line(no).value(line).fix("use BEIR's qrels format").build();
                }
                int score;
                try {
                    score = Integer.parseInt(f[2].trim());
                } catch (NumberFormatException e) {
                    throw DataFormatException.builder("relevance score is not an integer").source(qrelsFile).line(no)
                            .column("score").value(f[2]).fix("use integer grades").cause(e).build();
                }
                qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], score);
            }
        } catch (IOException e) {
            throw new dev.mlops.core.ResourceUnavailableException(qrelsFile.toString(), "reading failed: " + e, e);
        }
        Map<String, String> queries = new LinkedHashMap<>();
        readJsonl(json, queriesFile, node -> {
            String id = node.path("_id").asText();
            if (qrels.containsKey(id)) {
                queries.put(id, node.path("text").asText());
            }
        });
        List<Document> corpus = new ArrayList<>();
        readJsonl(json, corpusFile, node -> {
            String title = node.path("title").asText("");
            String text = (title + " " + node.path("text").asText("")).strip();
            corpus.add(new Document(node.path("_id").asText(), text.isEmpty() ? title : text, Map.of("title", title)));
        });
        List<String> missing = qrels.keySet().stream().filter(q -> !queries.containsKey(q)).limit(5).toList();
        if (!missing.isEmpty()) {
            throw DataFormatException.builder("qrels name queries that queries.jsonl does not have").source(qrelsFile)
                    .value(missing.toString()).fix("use the queries.jsonl of the same dataset").build();
        }
        return new BeirDataset(List.copyOf(corpus), Map.copyOf(queries), Map.copyOf(qrels));
    }

    private interface NodeSink {
        void accept(JsonNode node);
    }

    private static void readJsonl(ObjectMapper json, Path file, NodeSink sink) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (IOException e) {
                    throw DataFormatException.builder("line is not valid JSON").source(file).line(no)
                            .value(line.length() > 80 ? line.substring(0, 80) + "..." : line)
                            .fix("one JSON object per line (JSON Lines)").cause(e).build();
                }
                if (!node.hasNonNull("_id")) {
                    throw DataFormatException.builder("object has no _id").source(file).line(no).fix("add an _id").build();
                }
                sink.accept(node);
            }
        } catch (IOException e) {
            throw new dev.mlops.core.ResourceUnavailableException(file.toString(), "reading failed: " + e, e);
        }
    }
}
