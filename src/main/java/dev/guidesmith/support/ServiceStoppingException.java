package dev.guidesmith.support;

/** Work that was not started because the service is stopping; it is resumed at the next start. */
public class ServiceStoppingException extends RuntimeException {

    public ServiceStoppingException(String what) {
        super(what + " was not started: the service is stopping (it is resumed at the next start)");
    }
}
