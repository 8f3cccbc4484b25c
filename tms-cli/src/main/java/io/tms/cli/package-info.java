/** The {@code tms} command line (picocli): one subcommand per way to run TMS. */
package io.tms.cli;
