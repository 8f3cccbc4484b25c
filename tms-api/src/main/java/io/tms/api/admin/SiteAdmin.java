package io.tms.api.admin;

import io.tms.api.store.MasterTable;
import io.tms.domain.masterdata.Site;
import io.tms.protocol.v1.sync.SiteV1;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** Terminal sites: a code (2-10 upper-case letters or digits, it prefixes BOL numbers) and an IANA zone. */
final class SiteAdmin implements AdminEntity<SiteAdmin.Body, SiteV1> {
  record Body(String code, String name, String zone, Boolean active, Long version) {}

  private static final MasterTable<SiteV1> TABLE = new MasterTable<>("site", null, List.of("code"), Set.of(),
      s -> MasterTable.columns("code", s.code(), "name", s.name(), "zone", s.zone(), "active", s.active()),
      rs -> new SiteV1(rs.getString("code"), rs.getString("name"), rs.getString("zone"), rs.getBoolean("active")));

  @Override
  public String collection() {
    return "sites";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<SiteV1> table() {
    return TABLE;
  }

  @Override
  public String keyField() {
    return "code";
  }

  @Override
  public SiteV1 record(String site, String key, Body b, SiteV1 current) {
    String code = Fields.key("code", b.code(), key);
    if (!Site.isValidCode(Fields.required("code", code))) {
      throw Fields.invalid("code", "code must be 2-10 upper-case letters or digits starting with a letter");
    }
    String zone = Fields.required("zone", b.zone());
    if (!ZoneId.getAvailableZoneIds().contains(zone)) {
      throw Fields.invalid("zone", "zone must be an IANA time zone such as America/Chicago");
    }
    return new SiteV1(code, Fields.name("name", b.name()), zone,
        Fields.active(b.active(), current == null ? null : current.active()));
  }

  @Override
  public boolean active(SiteV1 r) {
    return r.active();
  }

  @Override
  public SiteV1 deactivated(SiteV1 r) {
    return new SiteV1(r.code(), r.name(), r.zone(), false);
  }

  /** A site's own record goes to that site only. */
  @Override
  public String feedScope(SiteV1 r) {
    return r.code();
  }
}
