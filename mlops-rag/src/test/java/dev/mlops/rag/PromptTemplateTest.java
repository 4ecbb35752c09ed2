package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void of_derivesVariablesInOrderOfFirstUse() {
        PromptTemplate t = PromptTemplate.of("qa", 2, "{{b}} then {{a}} then {{b}} again");
        assertThat(t.variables()).containsExactly("b", "a");
        assertThat(t.id()).isEqualTo("qa@v2");
    }

    @Test
    void render_fillsEveryPlaceholder_valuesAreNotRescanned() {
        PromptTemplate t = PromptTemplate.of("qa", 1, "Q: {{q}} / {{q}} C: {{c}} $1 \\ {not}");
        assertThat(t.render(Map.of("q", "why {{c}}?", "c", "ctx $2")))
                .isEqualTo("Q: why {{c}}? / why {{c}}? C: ctx $2 $1 \\ {not}");
    }

    @Test
    void render_missingVariable_namesPromptVersionAndVariable() {
        PromptTemplate t = PromptTemplate.RAG_ANSWER;
        assertThatThrownBy(() -> t.render(Map.of("question", "q")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rag-answer@v1").hasMessageContaining("missing variable(s) [context]")
                .hasMessageContaining("given [question]");
    }

    @Test
    void render_unknownVariable_isRejected() {
        PromptTemplate t = PromptTemplate.of("qa", 1, "{{question}}");
        assertThatThrownBy(() -> t.render(Map.of("question", "q", "questoin", "typo")))
                .hasMessageContaining("has no variable(s) [questoin]");
    }

    @Test
    void constructor_checksDeclaredVariablesAndNameAndVersion() {
        assertThatThrownBy(() -> new PromptTemplate("qa", 1, "{{a}} {{b}}", List.of("a")))
                .hasMessageContaining("declared variables [a] differ from the template's placeholders [a, b]");
        assertThatThrownBy(() -> PromptTemplate.of("qa", 0, "x")).hasMessageContaining("version must be >= 1, was 0");
        assertThatThrownBy(() -> PromptTemplate.of("bad name", 1, "x")).hasMessageContaining("'bad name'");
        assertThat(new PromptTemplate("qa", 3, "{{a}}", List.of("a")).variables()).containsExactly("a");
    }

    @Test
    void context_numbersHitsWithTheirSource() {
        List<SearchHit> hits = List.of(
                new SearchHit("a.txt#0", "a.txt", " first chunk \n", 0, 1, Map.of("source", "docs/a.txt")),
                new SearchHit("b.txt#3", "b.txt", "second", 10, 0.5, Map.of()));
        assertThat(PromptTemplate.context(hits)).isEqualTo("[1] (docs/a.txt) first chunk\n\n[2] (b.txt) second");
    }
}
