package dev.guidesmith.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The job kinds the service runs, asked in order which one takes an inbox file. */
public final class JobKinds {

    private final Map<String, JobKind> kinds = new LinkedHashMap<>();

    public JobKinds(List<JobKind> kinds) {
        kinds.forEach(kind -> this.kinds.put(kind.name(), kind));
    }

    public JobKind of(String name) {
        JobKind kind = kinds.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("No job kind named '" + name + "'; this service runs " + kinds.keySet());
        }
        return kind;
    }

    public JobKind of(Job job) {
        return of(job.kind());
    }

    /**
     * @throws RejectedFileException when no kind takes the file
     */
    public JobKind forFile(Path file, String name) {
        try {
            for (JobKind kind : kinds.values()) {
                if (kind.takes(file, name)) {
                    return kind;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + ": " + e.getMessage(), e);
        }
        List<String> what = kinds.values().stream().map(JobKind::takesWhat).toList();
        throw new RejectedFileException(name + " is none of the files this service takes: " + String.join("; ", what), null);
    }
}
