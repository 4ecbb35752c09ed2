package dev.mlops.core.flow;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link RunHistoryTest}: starts a flow whose cached task 'first' completes and whose task
 * 'hang' never returns, prints {@code READY <runId>} once 'first' is done, then waits to be killed.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch firstDone = new CountDownLatch(1);
        FlowEngine engine = FlowEngine.builder().home(Path.of(args[0])).listener(new FlowListener() {
            @Override
            public void taskSucceeded(String flow, String runId, String task, int attempt) {
                if (task.equals("first")) {
                    firstDone.countDown();
                }
            }
        }).build();
        Flow.Builder b = Flow.builder("doomed");
        TaskHandle<Long> first = b.task("first").cache(CachePolicy.of(Serializers.longs())).run(() -> 1L);
        b.task("hang").run(first, x -> {
            new CountDownLatch(1).await();
            return x;
        });
        FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
        firstDone.await();
        Thread.sleep(4 * Journal.FLUSH_MILLIS); // let the buffered task record reach the OS
        System.out.println("READY " + ex.runId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
