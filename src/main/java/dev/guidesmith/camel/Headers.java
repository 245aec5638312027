package dev.guidesmith.camel;

/** Header names the routes and the Camel-facing beans share. */
public final class Headers {

    /** The id of the job a problem belongs to. */
    public static final String JOB = "guidesmithJob";

    private Headers() {
    }
}
