package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NonRetriableException;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pure-Java BERT WordPiece tokenizer configured from a Hugging Face {@code tokenizer.json}.
 *
 * <p>It reproduces the {@code BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece} +
 * {@code TemplateProcessing} pipeline of the Hugging Face {@code tokenizers} library:
 * <ol>
 *   <li>added (special) tokens such as {@code [SEP]} written in the input are kept as themselves;
 *   <li>clean text: drops U+0000, U+FFFD and every character of a Unicode "other" category (Cc, Cf,
 *       Co, Cs, Cn) except tab, newline and carriage return; maps whitespace to a space;
 *   <li>puts spaces around CJK ideographs;
 *   <li>strips accents (NFD, then drops non-spacing marks) when {@code strip_accents} is true, or
 *       when it is null and {@code lowercase} is true; then lowercases;
 *   <li>splits on whitespace and isolates each punctuation character (ASCII punctuation and Unicode
 *       P* categories);
 *   <li>greedy longest-match-first WordPiece with the {@code ##} continuation prefix; a word that
 *       cannot be covered, or is longer than {@code max_input_chars_per_word}, becomes {@code [UNK]};
 *   <li>{@code [CLS] ... [SEP]}, truncated on the right so that the whole sequence, specials
 *       included, has at most {@link #maxTokens()} ids.
 * </ol>
 *
 * <p>The truncation length is the caller's: sentence-transformers runs all-MiniLM-L6-v2 with 256
 * word pieces, not the 128 written in its {@code tokenizer.json}, so the file's truncation block is
 * ignored. Instances are immutable and thread-safe.
 */
public final class WordPieceTokenizer {

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final String unkToken;
    private final int unkId;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final boolean cleanText;
    private final boolean chineseChars;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final List<String> addedTokens;
    private final String addedFirstChars;
    private final int maxTokens;

    private WordPieceTokenizer(Map<String, Integer> vocab, String unkToken, String prefix, int maxInputCharsPerWord,
            boolean lowercase, boolean stripAccents, boolean cleanText, boolean chineseChars,
            List<String> addedTokens, int maxTokens) {
        this.vocab = vocab;
        this.unkToken = unkToken;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.addedTokens = addedTokens;
        StringBuilder first = new StringBuilder();
        for (String t : addedTokens) {
            if (!t.isEmpty() && first.indexOf(t.substring(0, 1)) < 0) {
                first.append(t.charAt(0));
            }
        }
        this.addedFirstChars = first.toString();
        this.maxTokens = maxTokens;
        this.unkId = require(vocab, unkToken);
        this.clsId = require(vocab, "[CLS]");
        this.sepId = require(vocab, "[SEP]");
        this.padId = vocab.getOrDefault("[PAD]", 0);
        int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.idToToken = new String[max + 1];
        vocab.forEach((token, id) -> idToToken[id] = token);
    }

    private static int require(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new NonRetriableException("tokenizer.json: the vocabulary has no '" + token
                    + "' token; a BERT WordPiece vocabulary needs [UNK], [CLS] and [SEP]");
        }
        return id;
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} whose model is {@code WordPiece}.
     *
     * @param json      the file's content (not closed)
     * @param maxTokens truncation length including {@code [CLS]} and {@code [SEP]}, at least 2
     * @throws NonRetriableException if the file is not a WordPiece tokenizer or cannot be read
     */
    public static WordPieceTokenizer fromJson(InputStream json, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be >= 2 ([CLS] and [SEP]), was " + maxTokens);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new NonRetriableException("tokenizer.json could not be parsed: " + e.getMessage(), e);
        }
        if (root == null || !root.has("model")) {
            throw new NonRetriableException("tokenizer.json has no 'model' object; expected a Hugging Face tokenizer file");
        }
        JsonNode model = root.get("model");
        String type = model.path("type").asText("");
        if (!type.equals("WordPiece")) {
            throw new NonRetriableException("tokenizer.json: model type is '" + type
                    + "', only 'WordPiece' (BERT-style models) is supported");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.get("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        JsonNode norm = root.path("normalizer");
        boolean lowercase = norm.path("lowercase").asBoolean(false);
        JsonNode strip = norm.path("strip_accents");
        boolean stripAccents = strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean();
        List<String> added = new ArrayList<>();
        for (JsonNode t : root.path("added_tokens")) {
            added.add(t.path("content").asText());
        }
        // longest first, so that "[SEP]x" style overlaps prefer the longer token
        added.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new WordPieceTokenizer(vocab, model.path("unk_token").asText("[UNK]"),
                model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100), lowercase, stripAccents,
                norm.path("clean_text").asBoolean(true), norm.path("handle_chinese_chars").asBoolean(true),
                List.copyOf(added), maxTokens);
    }

    /** A copy with another truncation length (specials included), sharing the vocabulary. */
    public WordPieceTokenizer withMaxTokens(int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be >= 2 ([CLS] and [SEP]), was " + maxTokens);
        }
        return new WordPieceTokenizer(vocab, unkToken, prefix, maxInputCharsPerWord, lowercase, stripAccents,
                cleanText, chineseChars, addedTokens, maxTokens);
    }

    /** The truncation length, {@code [CLS]} and {@code [SEP]} included. */
    public int maxTokens() {
        return maxTokens;
    }

    /** The id of {@code [PAD]} (0 when the vocabulary has none). */
    public int padId() {
        return padId;
    }

    /** The vocabulary size. */
    public int vocabularySize() {
        return vocab.size();
    }

    /** The token string of an id, or {@code null} if the id is not in the vocabulary. */
    public String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /**
     * Encodes one text as {@code [CLS] pieces... [SEP]}, truncated to {@link #maxTokens()} ids.
     */
    public int[] encode(String text) {
        int[] pieces = wordPieces(text, maxTokens - 2);
        int[] ids = new int[pieces.length + 2];
        ids[0] = clsId;
        System.arraycopy(pieces, 0, ids, 1, pieces.length);
        ids[ids.length - 1] = sepId;
        return ids;
    }

    /** The number of word pieces of a text, without specials and without truncation. */
    public int countTokens(String text) {
        return wordPieces(text, Integer.MAX_VALUE).length;
    }

    /** The word-piece ids of a text without specials, at most {@code limit} of them. */
    public int[] wordPieces(String text, int limit) {
        IntBuffer out = new IntBuffer();
        int start = 0;
        while (start <= text.length() && out.size < limit) {
            int at = -1;
            String found = null;
            for (int i = start; i < text.length() && at < 0; i++) {
                if (addedFirstChars.indexOf(text.charAt(i)) >= 0) {
                    for (String t : addedTokens) {
                        if (text.startsWith(t, i)) {
                            at = i;
                            found = t;
                            break;
                        }
                    }
                }
            }
            int end = at < 0 ? text.length() : at;
            encodeSegment(text.substring(start, end), out, limit);
            if (found == null) {
                break;
            }
            if (out.size < limit) {
                out.add(vocab.get(found));
            }
            start = at + found.length();
        }
        return out.toArray();
    }

    private void encodeSegment(String segment, IntBuffer out, int limit) {
        String normalized = normalize(segment);
        int n = normalized.length();
        int i = 0;
        StringBuilder word = new StringBuilder();
        while (i < n && out.size < limit) {
            int cp = normalized.codePointAt(i);
            int len = Character.charCount(cp);
            if (isWhitespace(cp)) {
                flush(word, out, limit);
            } else if (isPunctuation(cp)) {
                flush(word, out, limit);
                word.appendCodePoint(cp);
                flush(word, out, limit);
            } else {
                word.appendCodePoint(cp);
            }
            i += len;
        }
        flush(word, out, limit);
    }

    private void flush(StringBuilder word, IntBuffer out, int limit) {
        if (word.isEmpty()) {
            return;
        }
        String w = word.toString();
        word.setLength(0);
        if (out.size >= limit) {
            return;
        }
        if (w.codePointCount(0, w.length()) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        IntBuffer pieces = new IntBuffer();
        int start = 0;
        while (start < w.length()) {
            int end = w.length();
            Integer id = null;
            while (start < end) {
                String sub = w.substring(start, end);
                if (start > 0) {
                    sub = prefix + sub;
                }
                id = vocab.get(sub);
                if (id != null) {
                    break;
                }
                end = w.offsetByCodePoints(end, -1);
            }
            if (id == null) {
                out.add(unkId);
                return;
            }
            pieces.add(id);
            start = end;
        }
        for (int k = 0; k < pieces.size && out.size < limit; k++) {
            out.add(pieces.data[k]);
        }
    }

    /** The BERT normaliser: clean text, CJK spacing, accent stripping and lowercasing. */
    String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    sb.append(' ');
                    continue;
                }
            }
            if (chineseChars && isChinese(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        }
        String s = sb.toString();
        if (stripAccents) {
            String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(nfd.length());
            for (int i = 0; i < nfd.length(); ) {
                int cp = nfd.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                    kept.appendCodePoint(cp);
                }
            }
            s = kept.toString();
        }
        if (lowercase) {
            s = s.toLowerCase(Locale.ROOT);
        }
        return s;
    }

    static boolean isWhitespace(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ' || isUnicodeWhiteSpace(cp);
    }

    private static boolean isUnicodeWhiteSpace(int cp) {
        // Unicode White_Space property (what Rust's char::is_whitespace tests)
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static final class IntBuffer {
        int[] data = new int[32];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
