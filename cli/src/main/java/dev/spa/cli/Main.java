package dev.spa.cli;

import dev.spa.SpaException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** The {@code spa} command: inspect, prune, verify, eval. Errors print one line and exit non-zero. */
public final class Main {
    private static final String USAGE = String.join("\n",
            "usage: spa inspect MODEL.onnx [--json FILE] [--pb FILE] [--input-shape NAME=D0,D1,...]...",
            "       spa prune MODEL.onnx -o OUT.onnx [--criterion l1|l2|random|bn] [--ratio R | --target macs=F|params=F]",
            "                 [--target [macs=F,]agreement=A] [--floor F] [--input-mean M[,M..] --input-std S[,S..]]",
            "                 [--target latency=F [--latency-threads T] [--latency-batch B] [--latency-provider cpu|cuda]",
            "                  [--latency-cache DIR]]",
            "                 [--input-shape NAME=D0,D1,...]... [--best-effort] [--global] [--round-to N|kernels] [--min-channels N] [--exclude NAME,...] [--aggregate sum|mean|max]",
            "                 [--normalize mean|max|sum|none] [--seed S]",
            "                 [--criterion obspa] [--update obspa|none] [--auto | --data-free | --ood | --calibration FILE|DIR]",
            "                 [--dampening D]",
            "                 [--backend auto|cpu|cuda|java] [--capture auto|cpu|cuda] [--gpu-memory-mb N]",
            "       spa verify ORIGINAL.onnx PRUNED.onnx [--plan PLAN.json] [--batch N] [--tolerance T] [--time [--threads T]]",
            "                 [--input-shape NAME=D0,D1,...]...",
            "       spa eval MODEL.onnx --inputs X.f32 --labels Y.i64");

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            out.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        try {
            switch (argv[0]) {
                case "inspect": InspectCommand.run(argv, out, err); break;
                case "prune": PruneCommand.run(argv, out, err); break;
                case "verify": VerifyCommand.run(argv, out, err); break;
                case "eval": EvalCommand.run(argv, out, err); break;
                default: throw new SpaException("unknown command '" + argv[0] + "'\n" + USAGE);
            }
            return 0;
        } catch (SpaException | IOException | UncheckedIOException e) {
            err.println("spa: error: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("spa: error: out of memory; raise the heap with SPA_JAVA_OPTS=-Xmx...");
            traceWhenDebugging(e, err);
            return 1;
        } catch (RuntimeException | StackOverflowError e) {
            // a failure the engine did not name is still one line, without Java's class names; SPA_DEBUG=1 shows the trace
            err.println("spa: error: unexpected failure on this model (" + e.getMessage() + "); this is a bug in spa, please report it"
                    + " with the model");
            traceWhenDebugging(e, err);
            return 3;
        }
    }

    /** With SPA_DEBUG set, where it failed (which allocation ran out of memory, which line threw). */
    private static void traceWhenDebugging(Throwable e, PrintStream err) {
        if (System.getenv("SPA_DEBUG") != null) {
            e.printStackTrace(err);
        }
    }
}
