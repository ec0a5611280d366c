package dev.dovetail.scheduling;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays pure Java: it must be benchmarkable and fuzzable without Kubernetes. */
class NoFabric8InEngineTest {
  @Test
  void schedulingDependsOnNoKubernetesClient() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dovetail.scheduling");
    noClasses()
        .that()
        .resideInAPackage("dev.dovetail.scheduling..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8..")
        .check(classes);
  }
}
