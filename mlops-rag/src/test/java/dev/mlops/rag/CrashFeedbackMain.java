package dev.mlops.rag;

import java.nio.file.Path;

/** Child process for {@link FeedbackStoreCrashIT}: records feedback forever, acknowledging each on stdout. */
public final class CrashFeedbackMain {

    private CrashFeedbackMain() {}

    public static void main(String[] args) {
        String comment = "x".repeat(2000); // long lines make a torn write likely
        try (FeedbackStore store = FeedbackStore.open(Path.of(args[0]))) {
            for (int i = 0; ; i++) {
                store.record("a" + i, i % 2 == 0 ? Feedback.Rating.UP : Feedback.Rating.DOWN, comment);
                System.out.println("recorded " + (i + 1));
                System.out.flush();
            }
        }
    }
}
