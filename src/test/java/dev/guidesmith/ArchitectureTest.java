package dev.guidesmith;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Which production package may depend on which (the service's code, not its tests).
 *
 * <p>Rules are {@code @ArchTest} methods, not {@code @ArchTest ArchRule} fields: Surefire 3.5.3,
 * this build's, silently runs no field rules (fixed in 3.5.4).
 */
@AnalyzeClasses(packages = "dev.guidesmith", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** No two packages under {@code root} depend on each other, directly or around a circle. */
    static ArchRule packagesFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @ArchTest
    void packagesDoNotDependOnEachOtherInACycle(JavaClasses classes) {
        packagesFreeOfCycles("dev.guidesmith").check(classes);
    }

    /** The rule above is not vacuous: two test packages that use each other break it. */
    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.guidesmith.archfixture");
        assertThatThrownBy(() -> packagesFreeOfCycles("dev.guidesmith.archfixture").check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    /** The simulator is a test double plugged in as a ModelApi: llm must work without knowing it. */
    @ArchTest
    void llmDoesNotDependOnTheSimulator(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.guidesmith.llm..")
                .should().dependOnClassesThat().resideInAPackage("dev.guidesmith.sim..")
                .check(classes);
    }

    /** The engine every job kind shares knows no kind. */
    @ArchTest
    void jobsKnowNoJobKind(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.guidesmith.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.guidesmith.guide..", "dev.guidesmith.stages..",
                        "dev.guidesmith.problems..", "dev.guidesmith.llm..", "dev.guidesmith.status..", "dev.guidesmith.camel..")
                .check(classes);
    }

    /** Camel plumbing stays in the Camel-facing packages; the logic is plain Java. */
    @ArchTest
    void businessLogicHasNoCamelPlumbing(JavaClasses classes) {
        noClasses().that().resideInAnyPackage("dev.guidesmith.jobs..", "dev.guidesmith.guide..", "dev.guidesmith.checks..", "dev.guidesmith.stages..",
                        "dev.guidesmith.problems..", "dev.guidesmith.llm..", "dev.guidesmith.status..", "dev.guidesmith.batch..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .check(classes);
    }
}
