package dev.mlops.core.flow;

/**
 * The shapes of task bodies: a function of zero to four typed inputs. Bodies may throw any exception;
 * the task's {@link Retry} policy decides whether to try again.
 */
public final class TaskBody {

    private TaskBody() {
    }

    /** A task with no inputs. */
    @FunctionalInterface
    public interface Of0<R> {
        R call() throws Exception;
    }

    /** A task with one input. */
    @FunctionalInterface
    public interface Of1<A, R> {
        R call(A a) throws Exception;
    }

    /** A task with two inputs. */
    @FunctionalInterface
    public interface Of2<A, B, R> {
        R call(A a, B b) throws Exception;
    }

    /** A task with three inputs. */
    @FunctionalInterface
    public interface Of3<A, B, C, R> {
        R call(A a, B b, C c) throws Exception;
    }

    /** A task with four inputs. */
    @FunctionalInterface
    public interface Of4<A, B, C, D, R> {
        R call(A a, B b, C c, D d) throws Exception;
    }

    /** Internal uniform shape. */
    @FunctionalInterface
    interface Invoker {
        Object call(Object[] args) throws Exception;
    }
}
