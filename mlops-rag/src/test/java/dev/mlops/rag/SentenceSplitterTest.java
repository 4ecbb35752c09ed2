package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expectations below were written by hand from the rule in {@link SentenceSplitter}'s Javadoc. */
class SentenceSplitterTest {

    @Test
    void sentences_handleAbbreviationsDecimalsQuotesAndBlankLines() {
        String text = "Dr. Smith paid $3.50 for v3.40.1 of the app, i.e. the newest one. He said \"It works!\" "
                + "Then he left... Did it work?! Yes. J. R. R. Tolkien wrote it (see Fig. 2). \"Stop!\" he said. "
                + "The U.S. Army agreed.\n\n# Heading without a stop\n  \nNext line here\nand its second line";
        List<TextSpan> sentences = SentenceSplitter.sentences(text);
        assertThat(sentences).extracting(TextSpan::text).containsExactly(
                "Dr. Smith paid $3.50 for v3.40.1 of the app, i.e. the newest one.",
                "He said \"It works!\"",
                "Then he left...",
                "Did it work?!",
                "Yes.",
                "J. R. R. Tolkien wrote it (see Fig. 2).",
                "\"Stop!\" he said.",
                "The U.S. Army agreed.",
                "# Heading without a stop",
                "Next line here\nand its second line");
        for (TextSpan s : sentences) {
            assertThat(text.substring(s.start(), s.end())).isEqualTo(s.text());
        }
    }

    @Test
    void sentences_offsetsAndEdgeCases() {
        assertThat(SentenceSplitter.sentences("  Hi there.  Bye.  ")).containsExactly(
                new TextSpan("Hi there.", 2), new TextSpan("Bye.", 13));
        assertThat(SentenceSplitter.sentences("")).isEmpty();
        assertThat(SentenceSplitter.sentences(" \n\n ")).isEmpty();
        // a file name, a URL and a decimal at the end of the text do not split; lowercase after "etc." continues
        assertThat(SentenceSplitter.sentences("Open wal.html at https://sqlite.org/wal.html now. Pages, logs, etc. are kept. Pi is 3.14"))
                .extracting(TextSpan::text).containsExactly("Open wal.html at https://sqlite.org/wal.html now.",
                        "Pages, logs, etc. are kept.", "Pi is 3.14");
        // curly quotes close the sentence; a digit after "No." continues it
        assertThat(SentenceSplitter.sentences("She wrote \u201CDone.\u201D See No. 5 below. End"))
                .extracting(TextSpan::text).containsExactly("She wrote \u201CDone.\u201D", "See No. 5 below.", "End");
    }

    @Test
    void split_packsWholeSentences_withOffsetsAndOverlap() {
        String text = "Aa. Bb. Cc. Dd.";
        assertThat(SentenceSplitter.builder().maxChars(7).build().split(text))
                .containsExactly(new TextSpan("Aa. Bb.", 0), new TextSpan("Cc. Dd.", 8));
        assertThat(SentenceSplitter.builder().maxChars(7).overlapSentences(1).build().split(text))
                .containsExactly(new TextSpan("Aa. Bb.", 0), new TextSpan("Bb. Cc.", 4), new TextSpan("Cc. Dd.", 8));
        assertThat(SentenceSplitter.builder().maxChars(100).build().split(text))
                .containsExactly(new TextSpan("Aa. Bb. Cc. Dd.", 0));
        // an overlap that would not leave room for the next sentence is shortened, never loops
        assertThat(SentenceSplitter.builder().maxChars(8).overlapSentences(3).build().split("Aaaa. Bb. Cccc."))
                .containsExactly(new TextSpan("Aaaa.", 0), new TextSpan("Bb.", 6), new TextSpan("Cccc.", 10));
    }

    @Test
    void split_cutsASentenceLongerThanTheChunk() {
        String text = "Short. aaaa bbbb cccc dddd. End.";
        List<TextSpan> chunks = SentenceSplitter.builder().maxChars(10).build().split(text);
        assertThat(chunks).containsExactly(new TextSpan("Short.", 0), new TextSpan("aaaa bbbb", 7),
                new TextSpan("cccc dddd.", 17), new TextSpan("End.", 28));
        for (TextSpan c : chunks) {
            assertThat(c.text().length()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void split_onTheSqliteDocs_coversEverySentenceOnceAndStaysInBounds() throws Exception {
        String wal = java.nio.file.Files.readString(TestData.sqliteDocs().resolve("wal.txt"));
        SentenceSplitter splitter = SentenceSplitter.builder().maxChars(500).build();
        List<TextSpan> chunks = splitter.split(wal);
        assertThat(chunks).hasSizeGreaterThan(20);
        int previousEnd = 0;
        for (TextSpan c : chunks) {
            assertThat(c.text().length()).isLessThanOrEqualTo(500);
            assertThat(wal.substring(c.start(), c.end())).isEqualTo(c.text());
            assertThat(c.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(wal.substring(previousEnd, c.start())).isBlank(); // only whitespace is left out
            previousEnd = c.end();
        }
        assertThat(wal.substring(previousEnd)).isBlank();
    }

    @Test
    void badSettings_fail() {
        assertThatThrownBy(() -> SentenceSplitter.builder().maxChars(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxChars").hasMessageContaining("0");
        assertThatThrownBy(() -> SentenceSplitter.builder().overlapSentences(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapSentences");
    }
}
