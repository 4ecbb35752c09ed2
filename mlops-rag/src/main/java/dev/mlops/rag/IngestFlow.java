package dev.mlops.rag;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.flow.Param;
import dev.mlops.core.flow.Retry;
import dev.mlops.core.flow.TaskHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * Ingestion as a flow on core's flow engine ({@code dev.mlops.core.flow}): files and directories →
 * {@link DocumentLoader} → {@link RagIndex#sync} (or {@link RagIndex#upsert}), with the engine's
 * run history, retries, listeners and meters, and fine-grained progress through
 * {@link IngestProgress}.
 *
 * <pre>{@code
 * IngestFlow ingest = IngestFlow.builder().index(index)
 *         .loader(DocumentLoader.builder().build())
 *         .progress(new IngestProgress() {
 *             public void embedded(int done, int total) { log.info("{}/{} chunks", done, total); }
 *         })
 *         .build();
 * try (FlowEngine engine = FlowEngine.builder().home(Path.of("flows")).build()) {
 *     IngestReport report = ingest.run(engine, List.of(Path.of("docs")));
 * }
 * }</pre>
 *
 * <p>The flow ({@link #flow()}, named {@code rag-ingest} unless {@link Builder#name} says otherwise)
 * has one parameter, {@code sources} ({@link Sources}: the paths), and two tasks:
 * <ol>
 *   <li>{@code load}: {@link DocumentLoader#load(List, IngestProgress)}; retried by
 *       {@link Builder#loadRetry(Retry)} (default none) on retriable failures such as an unreadable
 *       directory; a bad file fails it with a non-retriable error naming the file;</li>
 *   <li>{@code ingest}: {@link RagIndex#sync(java.util.Collection, IngestProgress)} (default; documents no
 *       longer among the sources are deleted) or {@code upsert} ({@link Builder#deleteMissing(boolean)}
 *       false). The index's incremental rules apply unchanged: unchanged documents do no work, changed
 *       ones are re-split and re-embedded, removed ones deleted, all in one commit. With
 *       {@code deleteMissing}, a load that finds no document while the index holds some fails the task
 *       instead of deleting everything (point the flow at the right directory, or delete explicitly).</li>
 * </ol>
 * A failed run leaves the index as it was (nothing is committed before the {@code ingest} task's
 * single commit). Task-level progress ({@code Progress}: tasks finished of 2) comes from the engine's
 * {@code FlowListener} and {@code FlowExecution.progress()}; file, chunk and commit progress from
 * {@link IngestProgress}, called on the engine's task thread.
 */
public final class IngestFlow {

    /** The paths a run ingests: files and directories, as {@link DocumentLoader#load(List)} takes them. */
    public record Sources(List<Path> paths) {
        public Sources {
            if (paths == null || paths.isEmpty() || paths.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("sources need at least one path and no null, got " + paths);
            }
            paths = List.copyOf(paths);
        }
    }

    private final Flow<IngestReport> flow;
    private final Param<Sources> sources;

    private IngestFlow(Builder b) {
        RagIndex index = b.index;
        DocumentLoader loader = b.loader;
        IngestProgress progress = b.progress;
        boolean deleteMissing = b.deleteMissing;
        Flow.Builder fb = Flow.builder(b.name);
        this.sources = fb.param("sources", Sources.class);
        TaskHandle<List<Document>> loaded = fb.task("load").retry(b.loadRetry)
                .run(sources, s -> loader.load(s.paths(), progress));
        TaskHandle<IngestReport> report = fb.task("ingest").returns(IngestReport.class).run(loaded, sources, (docs, s) -> {
            if (deleteMissing && docs.isEmpty() && index.documentCount() > 0) {
                throw new NonRetriableException("no document was loaded from " + s.paths() + ", and syncing would delete"
                        + " all " + index.documentCount() + " documents of index " + index.home()
                        + ". Fix: check the paths, or delete documents explicitly with RagIndex.delete");
            }
            return deleteMissing ? index.sync(docs, progress) : index.upsert(docs, progress);
        });
        this.flow = fb.build(report);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The flow definition, to run, submit or schedule on a {@link FlowEngine}. */
    public Flow<IngestReport> flow() {
        return flow;
    }

    /** The parameter holding the paths. */
    public Param<Sources> sources() {
        return sources;
    }

    /** Parameters of a run over {@code paths}. */
    public FlowParams params(List<Path> paths) {
        return FlowParams.of().with(sources, new Sources(paths));
    }

    /**
     * Runs the flow on {@code engine} and waits for it.
     *
     * @throws dev.mlops.core.flow.FlowFailedException when a task failed, with its exception as the cause
     */
    public IngestReport run(FlowEngine engine, List<Path> paths) {
        return engine.run(flow, params(paths)).get();
    }

    /** Settings of an {@link IngestFlow}. */
    public static final class Builder {
        private RagIndex index;
        private DocumentLoader loader = DocumentLoader.builder().build();
        private IngestProgress progress = IngestProgress.NONE;
        private boolean deleteMissing = true;
        private String name = "rag-ingest";
        private Retry loadRetry = Retry.none();

        private Builder() {}

        /** The index to keep in step with the sources. Required; not closed by the flow. */
        public Builder index(RagIndex index) {
            if (index == null) {
                throw new IllegalArgumentException("index must not be null");
            }
            this.index = index;
            return this;
        }

        /** How files become documents; default {@code DocumentLoader.builder().build()}. */
        public Builder loader(DocumentLoader loader) {
            if (loader == null) {
                throw new IllegalArgumentException("loader must not be null");
            }
            this.loader = loader;
            return this;
        }

        /** Where file, chunk and commit progress goes; default {@link IngestProgress#NONE}. */
        public Builder progress(IngestProgress progress) {
            if (progress == null) {
                throw new IllegalArgumentException("progress must not be null; use IngestProgress.NONE");
            }
            this.progress = progress;
            return this;
        }

        /** True (default): {@code sync}, deleting indexed documents not among the sources; false: {@code upsert}. */
        public Builder deleteMissing(boolean deleteMissing) {
            this.deleteMissing = deleteMissing;
            return this;
        }

        /** The flow's name in the engine's history; default {@code rag-ingest}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /** Retries of the {@code load} task; default {@link Retry#none()}. */
        public Builder loadRetry(Retry retry) {
            if (retry == null) {
                throw new IllegalArgumentException("loadRetry must not be null; use Retry.none()");
            }
            this.loadRetry = retry;
            return this;
        }

        /** Builds the flow definition. */
        public IngestFlow build() {
            if (index == null) {
                throw new IllegalStateException("index(RagIndex) is required");
            }
            return new IngestFlow(this);
        }
    }
}
