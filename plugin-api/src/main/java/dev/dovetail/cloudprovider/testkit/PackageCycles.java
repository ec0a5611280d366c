package dev.dovetail.cloudprovider.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package-cycle rule every plugin's {@code NoPackageCyclesTest} checks: no package of the
 * module's main classes depends on itself through others, one slice per package. ArchUnit is a
 * {@code provided} dependency of the plugin API, like JUnit: the module's tests bring it.
 */
public final class PackageCycles {
  private PackageCycles() {}

  /**
   * Fails, naming each cycle, when the main classes next to {@code anyMainClass} (the module's
   * classes directory or jar; its tests are left out) have a package cycle among the slices {@code
   * slicePattern} cuts, e.g. {@code "dev.dovetail.aws.(**)"}.
   */
  public static void assertNone(Class<?> anyMainClass, String slicePattern) {
    // a classes directory under surefire, the module's jar under failsafe: importUrl takes both
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(anyMainClass.getProtectionDomain().getCodeSource().getLocation());
    slices().matching(slicePattern).should().beFreeOfCycles().check(classes);
  }
}
