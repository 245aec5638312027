package dev.guidesmith.camel;

import dev.guidesmith.jobs.ConflictingProblemException;
import dev.guidesmith.jobs.FailureRecorder;
import dev.guidesmith.jobs.JobTracker;
import dev.guidesmith.llm.CallAttempts;
import dev.guidesmith.llm.FailureKind;
import dev.guidesmith.llm.ModelCallException;
import dev.guidesmith.problems.ProblemEntry;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.ServiceStoppingException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The dead letter channel's end: turns a failed exchange (a problem that failed in a stage, or an
 * input entry that is not a problem) into a failure record and settles it in its job.
 */
public final class DeadLetters {

    private final FailureRecorder recorder;
    private final JobTracker jobs;

    public DeadLetters(FailureRecorder recorder, JobTracker jobs) {
        this.recorder = recorder;
        this.jobs = jobs;
    }

    public void record(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Throwable error = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String jobId = exchange.getMessage().getHeader(Headers.JOB, String.class);
        // the failing stage's call: its attempts and endpoints, not the problem's whole history
        CallAttempts call = exchange.getProperty(FleetLoadBalancer.ATTEMPTS, CallAttempts.class);
        int attempts = call == null ? 1 : Math.max(1, call.count());
        Set<String> tried = call == null ? Set.of() : call.endpoints();
        if (error == null) {
            error = new IllegalStateException("failed without an exception");
        }
        if (interruptedByStop(error)) {
            return; // not a failure: the problem's job stays open and is resumed at the next start
        }
        if (body instanceof WorkItem item && error instanceof ConflictingProblemException) {
            recorder.conflictingDuplicate(item.problem(), jobId, error);
        } else if (body instanceof WorkItem item) {
            recorder.problemFailed(item.problem(), jobId, item.stage(), error, attempts, tried);
        } else if (body instanceof ProblemEntry entry) {
            recorder.entryRejected(entry, jobId, error);
        } else {
            throw new IllegalStateException("A failed exchange carries " + body + ", neither a problem nor an input entry",
                    error);
        }
        jobs.failed(jobId);
    }

    private static boolean interruptedByStop(Throwable error) {
        return error instanceof ServiceStoppingException
                || error instanceof ModelCallException call && call.kind() == FailureKind.STOPPING;
    }
}
