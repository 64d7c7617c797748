package org.trustatlas.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency lines of STYLE.md: cli → jobs → transforms → contract, layers one way. */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.trustatlas");
  }

  @Test
  void bronzeNeverDependsOnSilverOrGold() {
    noClasses()
        .that()
        .resideInAPackage("..bronze..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..silver..", "..gold..")
        .check(classes);
  }

  @Test
  void silverNeverDependsOnGold() {
    noClasses()
        .that()
        .resideInAPackage("..silver..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..gold..")
        .check(classes);
  }

  @Test
  void onlyTheCliDependsOnTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..cli..")
        .check(classes);
  }

  @Test
  void onlyTheCliExits() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..cli..")
        .should()
        .callMethod(System.class, "exit", int.class)
        .check(classes);
  }

  @Test
  void theContractDependsOnNoJob() {
    noClasses()
        .that()
        .resideInAPackage("..contract..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..bronze..", "..silver..", "..gold..", "..cli..", "..io..")
        .check(classes);
  }

  @Test
  void transformsDoNoIo() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Transform")
        .or()
        .haveSimpleName("Scorecard")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..io..", "org.apache.hadoop.fs..", "java.nio.file..")
        .check(classes);
  }
}
