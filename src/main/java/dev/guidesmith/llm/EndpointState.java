package dev.guidesmith.llm;

/** Whether the scheduler may send an endpoint new calls. */
public enum EndpointState {
    /** Not checked yet: the start-up probe decides. */
    UNKNOWN,
    /** Takes calls. */
    HEALTHY,
    /** Failing (down, hung, erroring): no new calls until a health check says it is back. */
    PARKED,
    /** Reachable but wrongly set up (the model is missing, the key is refused): needs the user's fix. */
    MISCONFIGURED;

    public String label() {
        return name().toLowerCase();
    }
}
