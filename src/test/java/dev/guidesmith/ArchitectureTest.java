package dev.guidesmith;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * Which production package may depend on which (the service's code, not its tests).
 *
 * <p>Rules are {@code @ArchTest} methods, not {@code @ArchTest ArchRule} fields: Surefire 3.5.3,
 * this build's, silently runs no field rules (fixed in 3.5.4).
 */
@AnalyzeClasses(packages = "dev.guidesmith", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The simulator is a test double plugged in as a ModelApi: llm must work without knowing it. */
    @ArchTest
    void llmDoesNotDependOnTheSimulator(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.guidesmith.llm..")
                .should().dependOnClassesThat().resideInAPackage("dev.guidesmith.sim..")
                .check(classes);
    }
}
