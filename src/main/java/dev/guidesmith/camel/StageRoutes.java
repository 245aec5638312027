package dev.guidesmith.camel;

import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.support.Settings;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;

/**
 * The stage routes, made from the one route template {@code stage} (routes/stages.camel.yaml) for
 * each stage of the catalogue, in its order: each stage's successor is the next stage, and after
 * the last one the {@code checks} queue (routes/checks.camel.yaml), which leads to render. So
 * {@code pipeline.stages} is the only place that lists
 * the stages. (A lambda builder bound as a bean, not a RouteBuilder class: camel-main's package
 * scan would try to build one of those itself.)
 */
final class StageRoutes implements LambdaRouteBuilder {

    static final String TEMPLATE = "stage";
    /** The queue a problem goes to after its last stage: its guide is checked, then rendered. */
    static final String AFTER_LAST = "checks";

    private final StageCatalog catalog;
    private final Settings settings;
    private final int mostCallsAtOnce;

    StageRoutes(StageCatalog catalog, Settings settings, int mostCallsAtOnce) {
        this.catalog = catalog;
        this.settings = settings;
        this.mostCallsAtOnce = mostCallsAtOnce;
    }

    @Override
    public void accept(RouteBuilder builder) {
        for (StageDefinition stage : catalog.stages()) {
            builder.templatedRoute(TEMPLATE)
                    .routeId("stage-" + stage.name())
                    .parameter("stage", stage.name())
                    .parameter("next", catalog.next(stage.name(), AFTER_LAST))
                    .parameter("concurrency", Integer.toString(
                            AutoConcurrency.of(settings, "stage." + stage.name() + ".concurrency", mostCallsAtOnce)));
        }
    }
}
