package dev.spa.platform;

import com.google.protobuf.InvalidProtocolBufferException;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A stage bean's common half: its name, how it parses its input and finds the job in it, and the
 * runner that applies the delivery rules. A stage adds its {@code @Incoming} method (calling
 * {@link #run}) and {@link #process}.
 */
public abstract class JobStage<I> implements Stage<I> {
    /** A protobuf parser, such as {@code JobAccepted::parseFrom}. */
    @FunctionalInterface
    public interface Parser<I> {
        I parse(byte[] payload) throws InvalidProtocolBufferException;
    }

    private final String name;
    private final String inputName;
    private final Parser<I> parser;
    private final Function<I, JobRef> jobOf;

    @Inject
    StageRunner runner;

    /** What every stage works with: the object store, the platform's keys, the job's status and failure events. */
    @Inject
    protected ObjectStore store;

    @Inject
    protected StoreSetup setup;

    @Inject
    protected JobEvents events;

    protected JobStage(String name, String inputName, Parser<I> parser, Function<I, JobRef> jobOf) {
        this.name = name;
        this.inputName = inputName;
        this.parser = parser;
        this.jobOf = jobOf;
    }

    protected CompletionStage<Void> run(Message<byte[]> message) {
        return runner.run(this, message);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String inputName() {
        return inputName;
    }

    @Override
    public final I parse(byte[] payload) throws InvalidProtocolBufferException {
        return parser.parse(payload);
    }

    @Override
    public final JobRef job(I input) {
        return jobOf.apply(input);
    }
}
