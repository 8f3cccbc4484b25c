package io.tms.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** tms-domain holds the rules only: no I/O, no HTTP, no SQL, no frameworks (DESIGN §9). */
@AnalyzeClasses(packages = "io.tms.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule no_io = noClasses().that().resideInAPackage("io.tms.domain..")
      .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..")
      .because("the domain does no I/O");

  @ArchTest
  static final ArchRule no_network_or_http = noClasses().that().resideInAPackage("io.tms.domain..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "java.net..", "javax.net..", "java.net.http..", "io.javalin..", "jakarta.servlet..", "org.eclipse.jetty..")
      .because("HTTP belongs to the adapters");

  @ArchTest
  static final ArchRule no_sql = noClasses().that().resideInAPackage("io.tms.domain..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "java.sql..", "javax.sql..", "org.jdbi..", "org.flywaydb..", "org.sqlite..", "org.postgresql..",
          "com.zaxxer..")
      .because("SQL belongs to the stores");

  @ArchTest
  static final ArchRule no_frameworks = noClasses().that().resideInAPackage("io.tms.domain..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.fasterxml..", "org.slf4j..", "ch.qos.logback..", "io.micrometer..", "picocli..", "org.apache..",
          "kotlin..")
      .because("the domain is plain Java");

  @ArchTest
  static final ArchRule no_adapters = noClasses().that().resideInAPackage("io.tms.domain..")
      .should().dependOnClassesThat().resideInAnyPackage("io.tms.agent..", "io.tms.api..", "io.tms.protocol..",
          "io.tms.sim..", "io.tms.cli..")
      .because("nothing in the domain knows the applications or the wire");
}
