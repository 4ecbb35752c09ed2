package dev.mlops.rag.spi;

import dev.mlops.rag.SearchHit;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Generator} is asked: the user's question, the retrieved chunks, and the chat messages
 * rendered from a prompt template over them. LLM generators send {@code messages}; the extractive
 * generator reads {@code question} and {@code context}.
 */
public record GenerationRequest(String question, List<SearchHit> context, List<ChatMessage> messages) {

    public GenerationRequest {
        Objects.requireNonNull(question, "question");
        context = List.copyOf(context);
        messages = List.copyOf(messages);
    }
}
