-- Terminal credentials (DESIGN §5): one per kiosk or bay controller, issued in the cloud and
-- replicated here through the change feed (or written by a seed). Only the SHA-256 of the random
-- secret is kept; a request presents the secret and is looked up by its hash.
CREATE TABLE terminal (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL UNIQUE,
  active        INTEGER NOT NULL
);

-- The site's audit log of manual actions and overrides: append-only and hash-chained
-- (hash = AuditRecordedV1.chain(prev_hash, seq, at, terminal_id, operator, action, subject, detail)).
-- Each entry also goes up the business lane as audit.recorded.v1, in the same transaction.
CREATE TABLE edge_audit (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  operator    TEXT,
  action      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
);
CREATE TRIGGER edge_audit_no_update BEFORE UPDATE ON edge_audit
BEGIN
  SELECT RAISE(ABORT, 'edge_audit is append-only');
END;
CREATE TRIGGER edge_audit_no_delete BEFORE DELETE ON edge_audit
BEGIN
  SELECT RAISE(ABORT, 'edge_audit is append-only');
END;
