package io.tms.sim.demo;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How to start one site's agent as a process: the command line of {@code tms agent} for a site,
 * its data directory, its terminal API port and the cloud URL it syncs with. The demo prints
 * nothing about the JVM; the tms command knows its own class path and JVM options.
 */
@FunctionalInterface
public interface AgentLauncher {
  List<String> command(String site, Path dataDir, int port, URI cloud);
}
