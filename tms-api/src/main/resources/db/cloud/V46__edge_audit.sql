-- The sites' audit logs of manual actions and overrides (audit.recorded.v1 on the business lane),
-- landed with the batch that carried them. Append-only: each entry keeps the hash chain it had at
-- the site (io.tms.protocol.v1.AuditRecordedV1.chain), so GET /v1/sites/{site}/audit/verify can
-- recompute it here.
CREATE TABLE edge_audit (
  site_code   TEXT NOT NULL,
  audit_seq   BIGINT NOT NULL,
  seq         BIGINT NOT NULL,       -- the outbox seq of the event that carried it
  at          TIMESTAMPTZ NOT NULL,
  terminal_id TEXT NOT NULL,
  operator    TEXT,
  action      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (site_code, audit_seq)
);

CREATE FUNCTION edge_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'edge_audit is append-only';
END;
$$;
CREATE TRIGGER edge_audit_append_only BEFORE UPDATE OR DELETE ON edge_audit
  FOR EACH ROW EXECUTE FUNCTION edge_audit_append_only();
