package dev.guidesmith.jobs;

import java.util.List;

/**
 * Why an item failed, as its failure record and the status page tell it.
 *
 * @param item       what the item is called (a problem id, a custom_id); set by the job's kind
 * @param record     where the kind recorded the failure (for guides, {@code <work>/failed/<record>.json})
 * @param errorClass the failure's class ({@code SERVER_ERROR}, {@code InvalidProblemException}, ...)
 * @param attempts   the attempts the failing step made (a model call's attempts; 1 otherwise)
 * @param endpoints  the endpoints those attempts went to, in order
 * @param time       when it failed (ISO-8601)
 */
public record ItemFailure(String job, long position, String item, String record, String stage, String errorClass,
                          String message, int attempts, List<String> endpoints, String time) {

    public ItemFailure {
        endpoints = List.copyOf(endpoints);
    }

    /** The same failure, named and recorded by the job's kind. */
    public ItemFailure recordedAs(String itemName, String recordName) {
        return new ItemFailure(job, position, itemName, recordName, stage, errorClass, message, attempts, endpoints, time);
    }
}
