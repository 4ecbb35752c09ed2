package dev.mlops.registry.internal;

import dev.mlops.core.spi.RunStatus;
import dev.mlops.registry.FilterSyntaxException;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.Filter.Entity;
import dev.mlops.registry.spi.Filter.Op;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A hand-written recursive-descent parser for the run filter language:
 *
 * <pre>
 * filter     := or EOF                    (an empty or blank filter matches every run)
 * or         := and ( 'or' and )*
 * and        := primary ( 'and' primary )*
 * primary    := '(' or ')' | comparison
 * comparison := ref op value
 *             | ref ['not'] 'in' '(' value ( ',' value )* ')'
 *             | ref ['not'] ('like' | 'ilike') string
 *             | ref 'is' ['not'] 'null'
 * ref        := entity '.' key            entity: metrics | params | tags | datasets | attributes (and singulars)
 * key        := [A-Za-z0-9_.\-/]+ | `any text` | "any text"
 * op         := '=' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * value      := 'text' ('' escapes a quote) | number
 * </pre>
 *
 * Keywords are case-insensitive. Metrics and the time attributes take numbers (times also ISO-8601 instants in
 * quotes) and every operator but {@code like}; params, tags, datasets and the other attributes take strings and
 * {@code = != like ilike in} (each of {@code like ilike in} also after {@code not}). Every error points at the offending character.
 */
public final class FilterParser {

    private static final Set<String> ATTRIBUTES =
            Set.of("run_id", "run_name", "status", "start_time", "end_time", "parent_run_id");
    private static final List<String> ENTITY_NAMES = List.of("metrics", "params", "tags", "datasets", "attributes");

    private enum T { REF, WORD, STRING, NUMBER, LPAREN, RPAREN, COMMA, OP, EOF }

    private record Token(T type, String text, int pos, int end, Entity entity, String key, int keyPos) {
        Token(T type, String text, int pos, int end) {
            this(type, text, pos, end, null, null, -1);
        }

        boolean word(String w) {
            return type == T.WORD && text.equalsIgnoreCase(w);
        }
    }

    private final String input;
    private final List<Token> tokens;
    private int at;

    private FilterParser(String input) {
        this.input = input;
        this.tokens = lex(input);
    }

    /** Parses a filter; blank means {@link Filter#ALL}. */
    public static Filter parse(String filter) {
        FilterParser p = new FilterParser(filter);
        if (p.peek().type == T.EOF) {
            return Filter.ALL;
        }
        Filter f = p.or();
        Token t = p.peek();
        if (t.type != T.EOF) {
            throw p.error(t.pos, t.type == T.RPAREN ? "unbalanced ')': no '(' before it"
                    : "expected 'and', 'or' or the end of the filter, found '" + t.text + "'");
        }
        return f;
    }

    /** Parses one order-by clause: {@code <entity>.<key> [asc|desc]}. */
    public static Filter.OrderBy parseOrderBy(String clause) {
        FilterParser p = new FilterParser(clause);
        Token ref = p.next();
        if (ref.type != T.REF) {
            throw p.error(ref.pos, "expected a column such as 'metrics.accuracy' or 'attributes.start_time', found "
                    + describe(ref));
        }
        boolean asc = true;
        Token dir = p.next();
        if (dir.word("desc")) {
            asc = false;
            dir = p.next();
        } else if (dir.word("asc")) {
            dir = p.next();
        }
        if (dir.type != T.EOF) {
            throw p.error(dir.pos, "expected 'asc', 'desc' or the end of the clause, found " + describe(dir));
        }
        return new Filter.OrderBy(ref.entity, ref.key, asc);
    }

    // ------------------------------------------------------------------------------------------ grammar

    private Filter or() {
        List<Filter> parts = new ArrayList<>();
        parts.add(and());
        while (peek().word("or")) {
            next();
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(parts);
    }

    private Filter and() {
        List<Filter> parts = new ArrayList<>();
        parts.add(primary());
        while (peek().word("and")) {
            next();
            parts.add(primary());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private Filter primary() {
        Token t = next();
        if (t.type == T.LPAREN) {
            Filter inner = or();
            Token close = next();
            if (close.type != T.RPAREN) {
                throw error(close.pos, "expected ')' to close the '(' at character " + (t.pos + 1) + ", found "
                        + describe(close));
            }
            return inner;
        }
        if (t.type != T.REF) {
            throw error(t.pos, "expected a comparison such as metrics.accuracy > 0.9, found " + describe(t)
                    + (t.type == T.WORD && !isKeyword(t.text) ? ". Fix: prefix the key with its entity, e.g. 'metrics."
                    + t.text + "' or 'params." + t.text + "'" : ""));
        }
        return comparison(t);
    }

    private Filter comparison(Token ref) {
        boolean numeric = ref.entity.numeric(ref.key);
        Token t = next();
        if (t.word("is")) {
            boolean not = false;
            Token n = next();
            if (n.word("not")) {
                not = true;
                n = next();
            }
            if (!n.word("null")) {
                throw error(n.pos, "expected 'null' after 'is" + (not ? " not" : "") + "', found " + describe(n));
            }
            return new Filter.Compare(ref.entity, ref.key, not ? Op.IS_NOT_NULL : Op.IS_NULL, List.of());
        }
        boolean not = false;
        Token opToken = t;
        if (t.word("not")) {
            not = true;
            t = next();
            if (!t.word("in") && !t.word("like") && !t.word("ilike")) {
                throw error(t.pos, "expected 'in', 'like' or 'ilike' after 'not', found " + describe(t));
            }
        }
        if (t.word("in")) {
            Token open = next();
            if (open.type != T.LPAREN) {
                throw error(open.pos, "expected '(' after 'in', found " + describe(open));
            }
            List<Object> values = new ArrayList<>();
            while (true) {
                values.add(value(ref, numeric, next(), "in"));
                Token sep = next();
                if (sep.type == T.RPAREN) {
                    break;
                }
                if (sep.type != T.COMMA) {
                    throw error(sep.pos, "expected ',' or ')' in the 'in' list, found " + describe(sep));
                }
            }
            return new Filter.Compare(ref.entity, ref.key, not ? Op.NOT_IN : Op.IN, values);
        }
        if (t.word("like") || t.word("ilike")) {
            if (numeric) {
                throw error(t.pos, "'" + t.text + "' compares text, but " + refText(ref) + " is numeric. Fix: use"
                        + " =, !=, <, <=, >, >= or in");
            }
            Token v = next();
            if (v.type != T.STRING) {
                throw error(v.pos, "expected a quoted pattern after '" + t.text + "', found " + describe(v)
                        + ". Fix: e.g. '%rf%'");
            }
            boolean like = t.word("like");
            Op op = not ? (like ? Op.NOT_LIKE : Op.NOT_ILIKE) : (like ? Op.LIKE : Op.ILIKE);
            return new Filter.Compare(ref.entity, ref.key, op, List.of(v.text));
        }
        if (t.type != T.OP) {
            throw error(t.pos, "expected an operator (=, !=, <, <=, >, >=, like, ilike, in, is null) after "
                    + refText(ref) + ", found " + describe(t));
        }
        Op op = switch (t.text) {
            case "=", "==" -> Op.EQ;
            case "!=", "<>" -> Op.NE;
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            default -> Op.GE;
        };
        if (!numeric && op != Op.EQ && op != Op.NE) {
            throw error(t.pos, "'" + t.text + "' needs a numeric column, but " + refText(ref) + " holds text."
                    + " Fix: use =, !=, like, ilike or in (params and tags are strings)");
        }
        return new Filter.Compare(ref.entity, ref.key, op, List.of(value(ref, numeric, next(), t.text)));
    }

    private Object value(Token ref, boolean numeric, Token v, String after) {
        if (numeric) {
            if (v.type == T.NUMBER) {
                return Double.parseDouble(v.text);
            }
            if (v.type == T.STRING && ref.entity == Entity.ATTRIBUTE) {
                try {
                    return (double) Instant.parse(v.text).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw error(v.pos, "'" + v.text + "' is not an ISO-8601 instant for " + refText(ref)
                            + ". Fix: use epoch milliseconds or e.g. '2026-11-27T10:15:30Z'");
                }
            }
            throw error(v.pos, "expected a number after '" + after + "' (" + refText(ref) + " is numeric), found "
                    + describe(v));
        }
        if (v.type != T.STRING) {
            throw error(v.pos, "expected a quoted string after '" + after + "' (" + refText(ref) + " holds text), found "
                    + describe(v) + (v.type == T.NUMBER ? ". Fix: quote it, e.g. '" + v.text + "'" : ""));
        }
        if (ref.entity == Entity.ATTRIBUTE && ref.key.equals("status")) {
            try {
                RunStatus.valueOf(v.text);
            } catch (IllegalArgumentException e) {
                throw error(v.pos, "unknown run status '" + v.text + "'. Fix: use one of "
                        + Arrays.toString(RunStatus.values()));
            }
        }
        return v.text;
    }

    private static boolean isKeyword(String w) {
        return Set.of("and", "or", "not", "in", "is", "null", "like", "ilike", "asc", "desc")
                .contains(w.toLowerCase(Locale.ROOT));
    }

    private static String refText(Token ref) {
        return "'" + ref.text + "'";
    }

    private static String describe(Token t) {
        return switch (t.type) {
            case EOF -> "the end of the filter";
            case STRING -> "the string '" + t.text + "'";
            default -> "'" + t.text + "'";
        };
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.type != T.EOF) {
            at++;
        }
        return t;
    }

    private FilterSyntaxException error(int pos, String problem) {
        return new FilterSyntaxException(input, pos, problem);
    }

    // ------------------------------------------------------------------------------------------ lexer

    private List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                out.add(new Token(T.EOF, "", n, n));
                return out;
            }
            char c = s.charAt(i);
            int start = i;
            if (c == '(') {
                out.add(new Token(T.LPAREN, "(", i, ++i));
            } else if (c == ')') {
                out.add(new Token(T.RPAREN, ")", i, ++i));
            } else if (c == ',') {
                out.add(new Token(T.COMMA, ",", i, ++i));
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw error(start, "unterminated string: no closing quote. Fix: end it with ' (write '' for"
                                + " a quote inside)");
                    }
                    char ch = s.charAt(i);
                    if (ch == '\'') {
                        if (i + 1 < n && s.charAt(i + 1) == '\'') {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(ch);
                    i++;
                }
                out.add(new Token(T.STRING, sb.toString(), start, i));
            } else if (c == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    throw error(start, "unterminated string: no closing \". Fix: end it with \"");
                }
                out.add(new Token(T.STRING, s.substring(i + 1, close), start, close + 1));
                i = close + 1;
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=") || two.equals("==")) {
                    out.add(new Token(T.OP, two, i, i + 2));
                    i += 2;
                } else if (c == '!') {
                    throw error(i, "unexpected '!'. Fix: write '!=' for 'not equal'");
                } else {
                    out.add(new Token(T.OP, String.valueOf(c), i, ++i));
                }
            } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n
                    && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.'))) {
                i++;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
                        || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
                    i++;
                }
                String num = s.substring(start, i);
                try {
                    Double.parseDouble(num);
                    if (num.chars().anyMatch(ch -> Character.isLetter(ch) && ch != 'e' && ch != 'E')) {
                        throw new NumberFormatException(num);
                    }
                    out.add(new Token(T.NUMBER, num, start, i));
                } catch (NumberFormatException e) {
                    throw error(start, "'" + num + "' is not a number. Fix: write e.g. 0.95, -3 or 1e-4");
                }
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                String word = s.substring(start, i);
                if (i < n && s.charAt(i) == '.') {
                    out.add(reference(s, start, word, i + 1));
                    i = out.get(out.size() - 1).end;
                } else {
                    out.add(new Token(T.WORD, word, start, i));
                }
            } else {
                throw error(i, "unexpected character '" + c + "'. Fix: quote text values with ' and use"
                        + " =, !=, <, <=, >, >=, like, ilike, in, is null");
            }
        }
    }

    private Token reference(String s, int start, String entityWord, int keyStart) {
        Entity entity = switch (entityWord.toLowerCase(Locale.ROOT)) {
            case "metrics", "metric" -> Entity.METRIC;
            case "params", "param", "parameters", "parameter" -> Entity.PARAM;
            case "tags", "tag" -> Entity.TAG;
            case "datasets", "dataset" -> Entity.DATASET;
            case "attributes", "attribute", "attr", "run" -> Entity.ATTRIBUTE;
            default -> throw error(start, "unknown entity '" + entityWord + "'"
                    + dev.mlops.registry.internal.Names.suggest(entityWord, ENTITY_NAMES)
                    + ". Fix: use one of metrics., params., tags., datasets., attributes.");
        };
        int n = s.length();
        int i = keyStart;
        String key;
        if (i < n && (s.charAt(i) == '`' || s.charAt(i) == '"')) {
            char q = s.charAt(i);
            int close = s.indexOf(q, i + 1);
            if (close < 0) {
                throw error(i, "unterminated quoted key: no closing " + q);
            }
            key = s.substring(i + 1, close);
            i = close + 1;
        } else {
            while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "_.-/".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            key = s.substring(keyStart, i);
        }
        if (key.isEmpty()) {
            throw error(keyStart, "expected a key after '" + entityWord + ".'. Fix: e.g. " + entityWord
                    + ".accuracy, or back-quote a key with spaces: " + entityWord + ".`val loss`");
        }
        if (entity == Entity.ATTRIBUTE) {
            if (!ATTRIBUTES.contains(key)) {
                throw error(keyStart, "unknown attribute '" + key + "'" + Names.suggest(key, ATTRIBUTES)
                        + ". Fix: use one of " + new java.util.TreeSet<>(ATTRIBUTES));
            }
        }
        return new Token(T.REF, s.substring(start, i), start, i, entity, key, keyStart);
    }
}
