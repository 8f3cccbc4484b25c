package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** A loading bay at one site with its arms; each arm maps the products it carries to the tank feeding it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BayV1(String id, String siteCode, String name, boolean active, List<Arm> arms)
    implements MasterRecordV1 {
  /** {@code site/id}: a bay id names a thing within its site only (every site may have its own). */
  @Override
  public String key() {
    return siteCode + "/" + id;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Arm(String id, String meterId, Map<String, String> tankByProduct) {}
}
