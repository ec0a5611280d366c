package dev.dovetail.aws;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** No package of this plugin depends on itself through others (one slice per package). */
class NoPackageCyclesTest {
  @Test
  void packagesAreFreeOfCycles() throws Exception {
    // this plugin's main classes only; the plugin API checks its own packages
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(
                Path.of(
                    AwsCloudProvider.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()));
    slices().matching("dev.dovetail.aws.(**)").should().beFreeOfCycles().check(classes);
  }
}
