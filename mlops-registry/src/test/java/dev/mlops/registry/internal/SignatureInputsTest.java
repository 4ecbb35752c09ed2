package dev.mlops.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "did you mean" rule. Expected answers are worked out by hand from the Levenshtein distance (one edit = one
 * inserted, deleted or substituted character) and the documented limits (under 4 characters: case and separators
 * only; under 8: 1 edit; longer: a quarter of the length, at least 2).
 */
class SignatureInputsTest {

    static final List<String> BREAST_CANCER = List.of("mean radius", "mean texture", "mean area", "worst radius",
            "worst area", "radius error");

    @Test
    void suggest_findsTheNearbyName() {
        assertThat(SignatureInputs.suggest("mean radus", BREAST_CANCER)).isEqualTo("mean radius");      // 1 deletion
        assertThat(SignatureInputs.suggest("mean_radius", BREAST_CANCER)).isEqualTo("mean radius");     // separator
        assertThat(SignatureInputs.suggest("Mean Texture", BREAST_CANCER)).isEqualTo("mean texture");   // case
        assertThat(SignatureInputs.suggest("worst raduis", BREAST_CANCER)).isEqualTo("worst radius");   // 2 swaps
    }

    @Test
    void suggest_staysQuietWhenNothingIsClose() {
        // "mean perimeter" is 5+ edits from every name; 14 chars allow 3
        assertThat(SignatureInputs.suggest("mean perimeter", BREAST_CANCER)).isNull();
        // short names: x3 is one edit from x1, but under 4 characters only case/separators count
        assertThat(SignatureInputs.suggest("x3", List.of("x1", "x2"))).isNull();
        assertThat(SignatureInputs.suggest("X1", List.of("x1", "x2"))).isEqualTo("x1");
        // 7 characters allow one edit, not two
        assertThat(SignatureInputs.suggest("abcdexy", List.of("abcdefg"))).isNull();
        assertThat(SignatureInputs.suggest("abcdefx", List.of("abcdefg"))).isEqualTo("abcdefg");
    }

    @Test
    void suggest_prefersTheClosest() {
        // "worst aera": 2 edits from "worst area", 4+ from "mean area"
        assertThat(SignatureInputs.suggest("worst aera", BREAST_CANCER)).isEqualTo("worst area");
    }
}
