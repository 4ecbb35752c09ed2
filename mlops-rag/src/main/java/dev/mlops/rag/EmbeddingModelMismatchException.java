package dev.mlops.rag;

import dev.mlops.core.NonRetriableException;

/** An index was opened with an embedder other than the one that built it. */
public class EmbeddingModelMismatchException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    public EmbeddingModelMismatchException(String home, String indexModel, String indexHash, String model, String hash) {
        super("index " + home + " was built with embedding model " + indexModel + " (" + indexHash
                + ") but was opened with " + model + " (" + hash + "); vectors of different models are not"
                + " comparable. Fix: open it with the same model and settings, or migrate it to the new model with"
                + " RagIndex.reembed (mlops rag reembed --index DIR --from OLD --to NEW)");
    }
}
