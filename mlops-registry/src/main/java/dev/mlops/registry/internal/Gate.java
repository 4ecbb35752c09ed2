package dev.mlops.registry.internal;

import dev.mlops.registry.FilterSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed promotion gate (see {@link dev.mlops.registry.PromotionPolicy} for the grammar), evaluated against the
 * latest metrics of the candidate's and the champion's runs.
 */
public final class Gate {

    /** A metric reference; {@code champion} picks the champion's run. */
    record Ref(boolean champion, String key) {
        @Override
        public String toString() {
            return (champion ? "champion." : "") + key;
        }
    }

    /** {@code sign * (number or ref)}. */
    record Term(int sign, double number, Ref ref) {
    }

    /** One {@code left op right} clause. */
    record Clause(String text, List<Term> left, String op, List<Term> right) {
        boolean needsChampion() {
            return left.stream().anyMatch(t -> t.ref() != null && t.ref().champion())
                    || right.stream().anyMatch(t -> t.ref() != null && t.ref().champion());
        }
    }

    private final List<Clause> clauses;

    private Gate(List<Clause> clauses) {
        this.clauses = List.copyOf(clauses);
    }

    List<Clause> clauses() {
        return clauses;
    }

    /** The outcome of one clause. */
    record Outcome(boolean passed, String reason) {
    }

    /**
     * Evaluates one clause; {@code champion} is null when no version holds the alias.
     */
    static Outcome evaluate(Clause c, Map<String, Double> candidate, Map<String, Double> champion) {
        if (c.needsChampion() && champion == null) {
            return new Outcome(true, c.text() + ": passed (no champion yet, nothing to compare with)");
        }
        StringBuilder missing = new StringBuilder();
        Double l = side(c.left(), candidate, champion, missing);
        Double r = side(c.right(), candidate, champion, missing);
        if (l == null || r == null) {
            return new Outcome(false, c.text() + ": failed (" + missing + ")");
        }
        boolean ok = switch (c.op()) {
            case ">=" -> l >= r;
            case ">" -> l > r;
            case "<=" -> l <= r;
            case "<" -> l < r;
            case "=", "==" -> l.doubleValue() == r.doubleValue();
            default -> l.doubleValue() != r.doubleValue();
        };
        return new Outcome(ok, c.text() + ": " + l + " " + c.op() + " " + r + (ok ? " passed" : " failed"));
    }

    private static Double side(List<Term> terms, Map<String, Double> cand, Map<String, Double> champ,
                               StringBuilder missing) {
        double sum = 0;
        boolean ok = true;
        for (Term t : terms) {
            double v;
            if (t.ref() == null) {
                v = t.number();
            } else {
                Map<String, Double> src = t.ref().champion() ? champ : cand;
                Double d = src.get(t.ref().key());
                if (d == null || d.isNaN()) {
                    if (!missing.isEmpty()) {
                        missing.append("; ");
                    }
                    missing.append("metric '").append(t.ref().key()).append("' is ").append(d == null ? "missing" : "NaN")
                            .append(" on the ").append(t.ref().champion() ? "champion's" : "candidate's").append(" run");
                    ok = false;
                    continue;
                }
                v = d;
            }
            sum += t.sign() * v;
        }
        return ok ? sum : null;
    }

    /** Parses a gate; {@code ""} has no clauses and approves everything. */
    public static Gate parse(String text) {
        return new Parser(text).gate();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        private FilterSyntaxException error(int pos, String problem) {
            return new FilterSyntaxException("promotion gate", s, pos, problem);
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        Gate gate() {
            List<Clause> out = new ArrayList<>();
            skip();
            if (i >= s.length()) {
                return new Gate(out);
            }
            while (true) {
                int start = i;
                List<Term> left = expr();
                skip();
                String op = op();
                List<Term> right = expr();
                out.add(new Clause(s.substring(start, i).trim(), left, op, right));
                skip();
                if (i >= s.length()) {
                    return new Gate(out);
                }
                if (word().equalsIgnoreCase("and")) {
                    continue;
                }
                throw error(i, "expected 'and' or the end of the gate, found '" + s.substring(i, Math.min(s.length(), i + 10))
                        + "' (only 'and' joins clauses)");
            }
        }

        private String word() {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String w = s.substring(start, i);
            if (!w.equalsIgnoreCase("and")) {
                i = start;
            }
            return w;
        }

        private String op() {
            skip();
            for (String op : new String[] {">=", "<=", "!=", "==", ">", "<", "="}) {
                if (s.startsWith(op, i)) {
                    i += op.length();
                    return op;
                }
            }
            throw error(i, "expected a comparison (>=, >, <=, <, =, !=), found "
                    + (i >= s.length() ? "the end of the gate" : "'" + s.charAt(i) + "'"));
        }

        private List<Term> expr() {
            List<Term> terms = new ArrayList<>();
            int sign = 1;
            while (true) {
                skip();
                terms.add(term(sign));
                skip();
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    sign = s.charAt(i) == '+' ? 1 : -1;
                    i++;
                } else {
                    return terms;
                }
            }
        }

        private Term term(int sign) {
            if (i >= s.length()) {
                throw error(i, "expected a number or a metric name, found the end of the gate");
            }
            char c = s.charAt(i);
            int start = i;
            if (Character.isDigit(c) || c == '.' || c == '-') {
                i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == 'e'
                        || s.charAt(i) == 'E' || ((s.charAt(i) == '-' || s.charAt(i) == '+')
                        && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
                    i++;
                }
                try {
                    return new Term(sign, Double.parseDouble(s.substring(start, i)), null);
                } catch (NumberFormatException e) {
                    throw error(start, "'" + s.substring(start, i) + "' is not a number");
                }
            }
            boolean champion = false;
            if (s.regionMatches(true, i, "champion.", 0, 9)) {
                champion = true;
                i += 9;
            }
            String key;
            if (i < s.length() && s.charAt(i) == '`') {
                int close = s.indexOf('`', i + 1);
                if (close < 0) {
                    throw error(i, "unterminated back-quoted metric name");
                }
                key = s.substring(i + 1, close);
                i = close + 1;
            } else {
                int k = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_./".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                key = s.substring(k, i);
            }
            if (key.isEmpty()) {
                throw error(i, "expected a number or a metric name such as 'f1' or 'champion.f1', found '"
                        + s.charAt(i) + "'");
            }
            if (!champion && key.equalsIgnoreCase("and")) {
                throw error(start, "expected a number or a metric name, found 'and'");
            }
            return new Term(sign, 0, new Ref(champion, key));
        }
    }
}
