package dev.mlops.rag.internal;

import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The readable text of an HTML page (jsoup): excluded elements removed, headings as {@code #}
 * lines, list items as {@code - } lines, blocks separated by line breaks, {@code <pre>} verbatim,
 * other whitespace collapsed.
 */
public final class HtmlText {

    /** Elements whose content is never text. */
    public static final String ALWAYS_EXCLUDED =
            "script, style, noscript, template, svg, math, canvas, iframe, object, select, head, [hidden]";

    private static final Set<String> PARAGRAPHS = Set.of("p", "pre", "blockquote", "table", "ul", "ol", "dl",
            "section", "article", "main", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "details",
            "fieldset", "header", "footer", "aside", "nav", "form");
    private static final Set<String> LINES = Set.of("div", "li", "tr", "dt", "dd", "br", "caption", "figcaption",
            "summary", "legend", "option", "label", "center");

    private HtmlText() {}

    /** The text of {@code root} (already stripped of excluded elements). */
    public static String of(Element root) {
        StringBuilder sb = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            int pre;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    if (pre > 0) {
                        sb.append(t.getWholeText());
                    } else {
                        appendCollapsed(sb, t.getWholeText());
                    }
                } else if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.equals("pre")) {
                        pre++;
                    }
                    if (PARAGRAPHS.contains(tag)) {
                        breaks(sb, 2);
                    } else if (LINES.contains(tag)) {
                        breaks(sb, 1);
                    } else if (tag.equals("td") || tag.equals("th")) {
                        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') {
                            sb.append(" | ");
                        }
                    }
                    if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                        sb.append("#".repeat(tag.charAt(1) - '0')).append(' ');
                    } else if (tag.equals("li")) {
                        sb.append("- ");
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.equals("pre")) {
                        pre--;
                    }
                    if (PARAGRAPHS.contains(tag)) {
                        breaks(sb, 2);
                    } else if (LINES.contains(tag)) {
                        breaks(sb, 1);
                    }
                }
            }
        }, root);
        return tidy(sb);
    }

    private static void appendCollapsed(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0') {
                if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ' ' && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append(' ');
                }
            } else {
                sb.append(c);
            }
        }
    }

    /** Ends the current line and makes sure {@code n} line breaks (n = 2: a blank line) precede what follows. */
    private static void breaks(StringBuilder sb, int n) {
        while (!sb.isEmpty() && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        if (sb.isEmpty()) {
            return;
        }
        int have = 0;
        for (int i = sb.length() - 1; i >= 0 && sb.charAt(i) == '\n'; i--) {
            have++;
        }
        for (int i = have; i < n; i++) {
            sb.append('\n');
        }
    }

    /** Strips trailing spaces of lines, runs of more than one blank line, and the ends. */
    private static String tidy(StringBuilder sb) {
        StringBuilder out = new StringBuilder(sb.length());
        int blank = 0;
        for (String line : sb.toString().split("\n", -1)) {
            String l = line.stripTrailing();
            if (l.isBlank()) {
                blank++;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            blank = 0;
            out.append(l);
        }
        return out.toString();
    }
}
