package dev.guidesmith.guide;

import com.samskivert.mustache.Template;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageResults;
import dev.guidesmith.stages.WorkItem;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Templates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Renders a problem's guide from its stage results with the guide template and writes
 * {@code <output>/question_<id>.md} atomically: readers and restarts see the whole guide or none.
 */
public final class GuideWriter {

    private final Path output;
    private final StageCatalog catalog;
    private final StageResults results;
    private final Template template;

    public GuideWriter(Path output, StageCatalog catalog, StageResults results) {
        this.output = output;
        this.catalog = catalog;
        this.results = results;
        this.template = Templates.compile(catalog.guideTemplateText());
    }

    public String render(WorkItem item) {
        return template.execute(GuideView.of(item, results.all(item), catalog)).strip() + "\n";
    }

    public Path write(WorkItem item) {
        Path file = output.resolve(item.problem().guideFileName());
        try {
            AtomicFiles.writeString(file, render(item));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the guide " + file.toAbsolutePath() + " (" + e.getMessage()
                    + "): check free disk space and permissions of pipeline.output", e);
        }
    }
}
