package io.tms.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tms} command: one entry point for the cloud, the edge agent, the demo and the benchmarks. */
@Command(
    name = "tms",
    mixinStandardHelpOptions = true,
    versionProvider = TmsCommand.Version.class,
    description = "TMS — Terminal Management System for bulk-liquid loading terminals.",
    subcommands = {
      DemoCommand.class, CloudCommand.class, AgentCommand.class, BenchCommand.class, SimCommand.class, VerifyCommand.class,
      AuditCommand.class, BackupCommand.class, RestoreCommand.class, TestCommand.class, CommandLine.HelpCommand.class})
public final class TmsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TmsCommand()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TmsCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tms " + (v == null ? "dev" : v)};
    }
  }
}
