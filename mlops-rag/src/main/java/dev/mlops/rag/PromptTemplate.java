package dev.mlops.rag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned prompt: a name, a version (>= 1), a template with {@code {{variable}}} placeholders
 * (names {@code [A-Za-z_][A-Za-z0-9_]*}) and the variables it uses, in order of first use. Everything
 * else in the template is literal; values are inserted verbatim and never re-scanned, so a value
 * containing {@code {{x}}} stays as it is.
 *
 * <p>Change the text → bump the version: {@link #id()} ({@code name@vN}) is what answers record and
 * what keys the response cache.
 */
public record PromptTemplate(String name, int version, String template, List<String> variables) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]*)}}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The built-in RAG prompt: numbered sources, answer only from them, cite as [n]. */
    public static final PromptTemplate RAG_ANSWER = of("rag-answer", 1, """
            Answer the question using only the numbered sources below. Cite every claim with the number \
            of its source in square brackets, like [1]. If the sources do not contain the answer, say \
            that you do not know.

            Sources:
            {{context}}

            Question: {{question}}
            Answer:""");

    /**
     * @throws IllegalArgumentException for a bad name or version, or when {@code variables} is not
     *     exactly the placeholders of the template in order of first use
     */
    public PromptTemplate {
        Objects.requireNonNull(template, "template");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("prompt name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("prompt '" + name + "': version must be >= 1, was " + version);
        }
        List<String> found = placeholders(template);
        variables = List.copyOf(variables);
        if (!found.equals(variables)) {
            throw new IllegalArgumentException("prompt '" + name + "' v" + version + ": declared variables "
                    + variables + " differ from the template's placeholders " + found
                    + ". Fix: declare exactly the {{...}} names of the template, or use PromptTemplate.of");
        }
    }

    /** A template whose variables are its placeholders. */
    public static PromptTemplate of(String name, int version, String template) {
        return new PromptTemplate(name, version, template, placeholders(Objects.requireNonNull(template, "template")));
    }

    /** {@code name@vVersion}, e.g. {@code rag-answer@v1}. */
    public String id() {
        return name + "@v" + version;
    }

    /**
     * Fills every placeholder.
     *
     * @throws IllegalArgumentException naming the template when a variable is missing or null, or when
     *     a value is given for a name the template does not use (a typo, typically)
     */
    public String render(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        Set<String> missing = new LinkedHashSet<>();
        for (String v : variables) {
            if (values.get(v) == null) {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("prompt " + id() + " is missing variable(s) " + missing + "; given "
                    + new TreeSet<>(values.keySet()) + ", needs " + variables + ". Fix: pass a non-null value for each");
        }
        Set<String> unknown = new TreeSet<>(values.keySet());
        variables.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("prompt " + id() + " has no variable(s) " + unknown + "; it uses "
                    + variables + ". Fix: check the names, or bump the prompt version to add them");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1)).toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The retrieved chunks as the {@code context} variable: {@code [n] (source) text} blocks separated
     * by blank lines, numbered from 1 in retrieval order; source = metadata {@code source}, else the
     * document id.
     */
    public static String context(List<SearchHit> hits) {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (SearchHit h : hits) {
            if (n > 1) {
                sb.append("\n\n");
            }
            sb.append('[').append(n++).append("] (").append(h.metadata().getOrDefault("source", h.documentId()))
                    .append(") ").append(h.text().strip());
        }
        return sb.toString();
    }

    private static List<String> placeholders(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return new ArrayList<>(out);
    }
}
