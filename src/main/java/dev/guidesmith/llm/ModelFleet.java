package dev.guidesmith.llm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that owns the model servers. A call waits for a slot from the scheduler, gets its
 * prompt fitted to that endpoint's context, goes over the endpoint's API, and has its reply checked.
 * Failures are classified and feed the endpoint's circuit breaker; retrying them (elsewhere, with
 * backoff) is the route's error handler's job, which calls here again.
 */
public final class ModelFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFleet.class);
    /** Tokens kept free between prompt and reply for chat framing and tokenizer differences. */
    static final int CONTEXT_MARGIN = 64;
    private static final Pattern N_CTX = Pattern.compile("\"n_ctx\"\\s*:\\s*(\\d+)");

    private final FleetSettings settings;
    private final List<Endpoint> endpoints;
    private final FleetScheduler scheduler;
    private final ReplyValidator validator = new ReplyValidator();
    private final FleetHealth health;
    private final Map<String, CallUsage> usageByGroup = new ConcurrentHashMap<>();

    /** @param http what the clients of network APIs send their requests through */
    public ModelFleet(FleetSettings settings, ModelHttp http) {
        this(settings, http, SharedSlots.NONE);
    }

    /**
     * @param http   what the clients of network APIs send their requests through
     * @param shared the servers' places as held by all nodes sharing them ({@link SharedSlots#NONE} on one node)
     */
    public ModelFleet(FleetSettings settings, ModelHttp http, SharedSlots shared) {
        this.settings = settings;
        ClientWiring wiring = new ClientWiring(settings.timeouts(), http);
        List<Endpoint> built = new ArrayList<>();
        try {
            for (EndpointSettings endpoint : settings.endpoints()) {
                built.add(new Endpoint(endpoint, endpoint.api().client(endpoint, wiring)));
            }
        } catch (RuntimeException e) {
            built.forEach(endpoint -> endpoint.client().close());
            throw e;
        }
        this.endpoints = List.copyOf(built);
        this.scheduler = new FleetScheduler(endpoints, settings.timeouts().idle().dividedBy(2), shared);
        // a place freed on another node: plan again at once rather than at the next call's end here
        shared.onChange(scheduler::wake);
        this.health = new FleetHealth(endpoints, scheduler, settings.probeInterval());
    }

    /** Probes every endpoint (reporting each one's state) and keeps checking the ones that are not healthy. */
    public void start() {
        LOG.info("Fleet: {} endpoint(s), at most {} call(s) at once{}", endpoints.size(), settings.mostCallsAtOnce(),
                endpoints.stream().anyMatch(e -> e.slots() != e.settings().mostSlots())
                        ? " (slots=auto and servers left to tell their own slots count at their max-slots)" : "");
        health.start();
    }

    @Override
    public void close() {
        health.stop();
        endpoints.forEach(endpoint -> endpoint.client().close());
    }

    /**
     * Makes one attempt of a call, on the endpoint expected to finish it soonest.
     *
     * @param attempts the call's earlier attempts: endpoints that failed it are skipped while others
     *                 can take it, and a reply cut at its length limit gets more room this time
     */
    public ModelReply call(ModelRequest request, CallAttempts attempts) throws ModelCallException, InterruptedException {
        Lease lease = scheduler.acquire(request, attempts.endpoints());
        Endpoint endpoint = lease.endpoint;
        attempts.started(endpoint.name());
        ModelReply reply = null;
        ModelCallException failure = null;
        long replyEnd = 0;
        ChatCall call = null;
        try {
            call = fit(request, endpoint, attempts.replyRoomCut());
            if (lease.previousReplyEndNanos != 0) {
                endpoint.turnaround().record(lease.previousReplyEndNanos, lease.previousReleaseNanos, lease.startNanos,
                        System.nanoTime());
            }
            try {
                ModelReply answer = endpoint.client().call(call);
                replyEnd = System.nanoTime();
                reply = request.options().asIs() ? answer : validator.check(request, answer);
                return reply;
            } catch (ModelCallException e) {
                throw e.kind() == FailureKind.TRUNCATED ? cutAtLimit(request, endpoint, call, attempts, e) : e;
            }
        } catch (ModelCallException e) {
            failure = e;
            throw e;
        } finally {
            settle(endpoint, call, reply, failure, request.options().asIs(), request.options().group(), lease.startNanos);
            scheduler.release(lease, reply, failure, replyEnd);
        }
    }

    /**
     * Fits the request to the endpoint's context: the reply keeps its room (at most half of a small
     * context), the prompt gets the rest and is shortened to fit it. After a reply was cut at its
     * length limit, the reply gets up to twice the stage's room, as far as the context allows.
     */
    private ChatCall fit(ModelRequest request, Endpoint endpoint, int replyRoomCut) throws ModelCallException {
        int context = contextOf(endpoint);
        if (request.options().asIs()) {
            // the caller's prompt as written, and its own limit (0: the server's): the server judges the fit
            List<ChatMessage> messages = request.prompt().render(PromptBudget.UNLIMITED);
            return new ChatCall(messages, request.schema(), request.maxTokens(), request.temperature(),
                    TokenEstimate.of(messages), context, request.options().params(), true);
        }
        int replyRoom = Math.min(request.maxTokens(), context / 2);
        int budget = context - replyRoom - CONTEXT_MARGIN;
        if (budget < CONTEXT_MARGIN) {
            throw new ModelCallException(FailureKind.CONTEXT_OVERFLOW, endpoint.name(), endpoint.name() + " has a context of "
                    + context + " tokens, too small for any prompt: give the server a larger context");
        }
        try {
            PromptBudget room = new PromptBudget(budget, endpoint.tokens());
            List<ChatMessage> messages = request.prompt().render(room);
            int promptTokens = room.count(messages);
            if (replyRoomCut > 0) {
                replyRoom = Math.max(replyRoom, grownRoom(request, context, promptTokens));
            }
            return new ChatCall(messages, request.schema(), replyRoom, request.temperature(), promptTokens, context,
                    request.options().params(), request.options().asIs());
        } catch (PromptTooLongException e) {
            throw new ModelCallException(FailureKind.CONTEXT_OVERFLOW, endpoint.name(), "stage " + request.stage() + " for "
                    + request.subject() + " on " + endpoint.name() + ": " + e.getMessage());
        }
    }

    /** The most room a reply may get: twice the stage's, within what the prompt leaves of the context. */
    private static int grownRoom(ModelRequest request, int context, int promptTokens) {
        return Math.min(2 * request.maxTokens(), context - promptTokens - CONTEXT_MARGIN);
    }

    /**
     * A reply stopped at its length limit. The next attempt gets more room; when no more is possible
     * (twice the stage's room, or all the context leaves) the call ends here, saying what to raise.
     */
    private ModelCallException cutAtLimit(ModelRequest request, Endpoint endpoint, ChatCall call, CallAttempts attempts,
                                          ModelCallException cut) {
        attempts.replyCutAt(call.maxTokens());
        int context = call.contextTokens();
        int grown = grownRoom(request, context, call.promptTokens());
        if (grown > call.maxTokens()) {
            return cut;
        }
        String setting = "stage." + request.stage() + ".max-tokens";
        String fix = grown >= 2 * request.maxTokens()
                ? "raise " + setting + " (now " + request.maxTokens() + "; even twice that was not enough)"
                : "give " + endpoint.name() + " a larger context (now " + context + " tokens per slot, of which the prompt takes about "
                  + call.promptTokens() + ": the server's -c / num_ctx, or llm.endpoint." + endpoint.name()
                  + ".context), or shorten the stage's prompt";
        return new ModelCallException(FailureKind.REPLY_TOO_LONG, endpoint.name(), "stage " + request.stage() + " for "
                + request.subject() + ": the reply was cut at its length limit of " + call.maxTokens()
                + " tokens, all the room there is: " + fix);
    }

    private int contextOf(Endpoint endpoint) {
        return endpoint.context() > 0 ? endpoint.context() : settings.defaultContext();
    }

    /**
     * Success resets the endpoint's breaker (and feeds slots=auto); failures count toward parking it.
     *
     * @param callersPrompt the prompt was the caller's own, not fitted to the context by us
     * @param startNanos    when the call got its lease: its duration, for slots=auto
     */
    private void settle(Endpoint endpoint, ChatCall call, ModelReply reply, ModelCallException failure, boolean callersPrompt,
                        String group, long startNanos) {
        if (failure == null) {
            endpoint.recordSuccess(reply);
            if (call != null) {
                endpoint.tokens().learn(call.messages(), reply.promptTokens());
            }
            if (group != null) {
                usageByGroup.merge(group, CallUsage.NONE.plus(reply), (sum, one) -> sum.plus(reply));
            }
            scheduler.update(() -> {
                endpoint.consecutiveFailures = 0;
                long now = System.nanoTime();
                endpoint.tuneSlots(now, reply.outputTokens(), now - startNanos).ifPresent(LOG::info);
            });
            return;
        }
        if (call == null) {
            return; // refused before it was sent (the prompt cannot fit): nothing the server did
        }
        endpoint.recordFailure();
        FailureKind kind = failure.kind();
        if (kind == FailureKind.IDLE_TIMEOUT || kind == FailureKind.CALL_TIMEOUT) {
            scheduler.update(() -> endpoint.slotsTimedOut(System.nanoTime()).ifPresent(LOG::info));
        }
        // a prompt we fitted did not fit: the context is smaller than we thought; a caller's own
        // prompt tells only when the server names its context
        if (kind == FailureKind.CONTEXT_OVERFLOW && (!callersPrompt || N_CTX.matcher(failure.getMessage()).find())) {
            endpoint.shrinkContext(reportedContext(failure.getMessage(), endpoint));
        }
        if (kind == FailureKind.PROMPT_TRUNCATED && !callersPrompt) {
            endpoint.tokens().promptWasCut();
        }
        scheduler.update(() -> {
            if (kind == FailureKind.MODEL_NOT_FOUND || kind == FailureKind.UNAUTHORIZED) {
                health.misconfigured(endpoint, failure.getMessage());
            } else if (kind.endpointFault() && ++endpoint.consecutiveFailures >= settings.failuresToPark()
                    && endpoint.state == EndpointState.HEALTHY) {
                health.park(endpoint, endpoint.consecutiveFailures + " failures in a row, the last: " + failure.getMessage());
            }
        });
    }

    /** The context a refusal names (llama-server says n_ctx), else three quarters of what we assumed. */
    private int reportedContext(String message, Endpoint endpoint) {
        Matcher matcher = N_CTX.matcher(message);
        if (matcher.find()) {
            return Integer.parseInt(matcher.group(1));
        }
        return contextOf(endpoint) * 3 / 4;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public Endpoint endpoint(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No endpoint named " + name));
    }

    /** The endpoints that answer to a model name: their model, or one of their aliases. */
    public Set<String> endpointsServing(String model) {
        Set<String> names = new LinkedHashSet<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.settings().answersTo(model)) {
                names.add(endpoint.name());
            }
        }
        return names;
    }

    /** Whether some endpoint answers to a model name. */
    public boolean serves(String model) {
        return !endpointsServing(model).isEmpty();
    }

    /** What a group's (a job's) answered calls cost so far. */
    public CallUsage usage(String group) {
        return usageByGroup.getOrDefault(group, CallUsage.NONE);
    }

    /** Forgets a group's usage (its job ended, and whoever reports it has read it). */
    public void forgetUsage(String group) {
        usageByGroup.remove(group);
    }

    /** The calls of a group (a job) that wait for a slot are given up; those under way go on. */
    public void giveUpWaitingCalls(String group) {
        scheduler.giveUp(group);
    }

    /** The models the given endpoints run (all endpoints for an empty set): part of stage fingerprints. */
    public Set<String> modelsOf(Set<String> names) {
        Set<String> models = new TreeSet<>();
        for (Endpoint endpoint : endpoints) {
            if (names.isEmpty() || names.contains(endpoint.name())) {
                models.add(endpoint.settings().model());
            }
        }
        return models;
    }

    public Set<String> endpointNames() {
        Set<String> names = new LinkedHashSet<>();
        endpoints.forEach(e -> names.add(e.name()));
        return names;
    }

    public int callsWaiting() {
        return scheduler.waitingCount();
    }

    /** The service is stopping: calls under way may finish, no new one starts. */
    public void stopStartingCalls() {
        scheduler.stop();
    }

    /**
     * Tells the scheduler how many problems are left, so that near the end it starts the longest
     * chains of calls first.
     */
    public void problemsLeft(java.util.function.LongSupplier left) {
        scheduler.problemsLeft(left);
    }

    public Map<String, Integer> callsWaitingByStage() {
        return scheduler.waitingByStage();
    }
}
