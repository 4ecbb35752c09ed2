package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {

    @Test
    void citesTheSentenceThatAnswers_withItsOffsetInTheDocument() {
        String chunk = "SQLite is a library. The default journal mode is DELETE, which deletes the rollback journal"
                + " at the end of each transaction.   WAL mode instead appends changes to a separate write-ahead log file.";
        SearchHit hit = new SearchHit("pragma.txt#3", "pragma.txt", chunk, 1000, 1.0, Map.of("source", "pragma.txt"));
        ExtractiveAnswerer.Answer a = ExtractiveAnswerer.builder().maxSentences(1).build()
                .answer("Which mode appends changes to a write-ahead log?", List.of(hit));
        assertThat(a.citations()).hasSize(1);
        ExtractiveAnswerer.Citation c = a.citations().get(0);
        assertThat(c.sentence()).startsWith("WAL mode instead appends");
        assertThat(a.text()).endsWith("[1]");
        assertThat(c.source()).isEqualTo("pragma.txt");
        assertThat(c.start()).isEqualTo(1000 + chunk.indexOf("WAL mode"));
    }

    @Test
    void noHits_giveAnEmptyAnswer() {
        assertThat(ExtractiveAnswerer.builder().build().answer("q", List.of()).text()).isEmpty();
    }
}
