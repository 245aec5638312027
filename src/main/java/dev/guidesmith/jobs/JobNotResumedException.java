package dev.guidesmith.jobs;

/**
 * An item came back from the broker before this node resumed its job (at a start, the stage
 * consumers may take messages before the job is begun again). Its message is rolled back and
 * delivered again after the broker's redelivery delay, by when the job is under way.
 */
public class JobNotResumedException extends RuntimeException {

    public JobNotResumedException(ItemRef item) {
        super("Item " + item.position() + " of job " + item.job() + " arrived before its job was resumed on this node;"
                + " the broker delivers it again after its redelivery delay (pipeline.broker.redelivery-delay-ms)");
    }
}
