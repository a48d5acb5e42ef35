package dev.spa.platform;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobAccepted;
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
    private final Function<I, JobAccepted> acceptedOf;

    @Inject
    StageRunner runner;

    /** What every stage works with: the object store, the platform's keys, the job's status and failure events. */
    @Inject
    protected ObjectStore store;

    @Inject
    protected StoreSetup setup;

    @Inject
    protected JobEvents events;

    /** A stage after ingest: its input continues an accepted job, which names the job. */
    protected JobStage(String name, String inputName, Parser<I> parser, Function<I, JobAccepted> acceptedOf) {
        this(name, inputName, parser, acceptedOf.andThen(JobRef::of), acceptedOf);
    }

    /** Ingest: its input is a registration, not yet an accepted job. */
    protected JobStage(String name, String inputName, Parser<I> parser, Function<I, JobRef> jobOf, Function<I, JobAccepted> acceptedOf) {
        this.name = name;
        this.inputName = inputName;
        this.parser = parser;
        this.jobOf = jobOf;
        this.acceptedOf = acceptedOf;
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

    @Override
    public final JobAccepted accepted(I input) {
        return acceptedOf.apply(input);
    }
}
