package io.tms.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which paths the handler takes for a completion; every other path is left to Javalin. */
class LoadCycleHandlerTest {

  @Test
  void only_a_plain_load_id_is_taken_from_a_completion_path() {
    assertThat(LoadCycleHandler.completedLoad("/v1/loads/BENCH1-L42/complete")).isEqualTo("BENCH1-L42");
    assertThat(LoadCycleHandler.completedLoad("/v1/loads/a_b-9/complete")).isEqualTo("a_b-9");
    for (String other : new String[] {
        "/v1/loads//complete", "/v1/loads/complete", "/v1/loads/L1/complete/", "/v1/loads/L1/cancel",
        "/v1/loads/L%31/complete", "/v1/loads/../complete", "/v1/loads/a/b/complete", "/v1/loadsX/L1/complete",
        "/v1/loads/L 1/complete", "/v1/loads/L1;x/complete", "/v2/loads/L1/complete", null}) {
      assertThat(LoadCycleHandler.completedLoad(other)).as(other).isNull();
    }
  }
}
