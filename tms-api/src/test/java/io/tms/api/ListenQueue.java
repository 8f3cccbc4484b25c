package io.tms.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** The accept queue the kernel gives a listening TCP port, as `ss` prints it (a listener's Send-Q). */
public final class ListenQueue {
  private ListenQueue() {}

  public static int of(int port) throws Exception {
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(ss.waitFor()).as(out).isZero();
    String[] columns = out.lines().findFirst().orElseThrow(() -> new AssertionError("no listener on port " + port))
        .trim().split("\\s+");
    assertThat(columns[0]).as(out).isEqualTo("LISTEN");
    return Integer.parseInt(columns[2]);
  }
}
