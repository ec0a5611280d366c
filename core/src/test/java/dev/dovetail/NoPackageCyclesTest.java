package dev.dovetail;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.dovetail.operator.DovetailOperator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * No package depends on itself through others. Each package is its own slice (one per Karpenter
 * controller, {@code controllers.nodeclaim.lifecycle} apart from {@code controllers.nodeclaim}), so
 * the operator is the only place that knows every controller and a controller never reaches back
 * into the operator or the metrics that observe it.
 */
class NoPackageCyclesTest {
  @Test
  void corePackagesAreFreeOfCycles() throws Exception {
    // core's own main classes only (plugin-api and the test plugins are checked in their modules)
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(
                Path.of(
                    DovetailOperator.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()));
    slices().matching("dev.dovetail.(**)").should().beFreeOfCycles().check(classes);
  }
}
