-- People (DESIGN §5, docs/security.md): users with roles, their API tokens, and the append-only,
-- hash-chained audit log of every change made through the admin API. V60-V69 are this area's.

-- ---------------------------------------------------------------- users
-- roles: ADMIN, DISPATCHER, FLEET_ENGINEER, SITE_OPERATOR, VIEWER; sites: the sites a
-- SITE_OPERATOR may act on (ignored for the other roles). A deactivated user's tokens stop working.
CREATE TABLE app_user (
  id         TEXT PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9._-]{1,63}$'),
  name       TEXT NOT NULL,
  roles      TEXT[] NOT NULL CHECK (cardinality(roles) >= 1
               AND roles <@ ARRAY['ADMIN', 'DISPATCHER', 'FLEET_ENGINEER', 'SITE_OPERATOR', 'VIEWER']),
  sites      TEXT[] NOT NULL DEFAULT '{}',
  active     BOOLEAN NOT NULL DEFAULT TRUE,
  version    BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- API tokens
-- The secret (tms_ + 256 random bits) is shown once; only its SHA-256 is kept. A token is looked
-- up by that hash, so there is nothing to compare in Java and nothing secret in this table.
CREATE TABLE api_token (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES app_user (id),
  name       TEXT NOT NULL,
  sha256     BYTEA NOT NULL UNIQUE CHECK (length(sha256) = 32),
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX api_token_by_user ON api_token (user_id, created_at);

-- ---------------------------------------------------------------- the audit log
-- One row per change made through the admin API, written in the change's own transaction.
-- hash = SHA-256(prev_hash || canonical row), see io.tms.api.audit.AuditLog; seq and the running
-- hash come from audit_head, whose row lock serializes appends until commit (as feed_head does).
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

CREATE TABLE audit_log (
  seq        BIGINT PRIMARY KEY,
  at         TIMESTAMPTZ NOT NULL,
  actor      TEXT NOT NULL,           -- user id, or oidc:<subject>
  roles      TEXT NOT NULL,           -- the actor's roles at the time, comma-separated
  remote     TEXT,                    -- the client's address as the replica saw it
  entity     TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  action     TEXT NOT NULL,
  site_code  TEXT,
  before     TEXT,                    -- canonical JSON (sorted keys), exactly as hashed
  after      TEXT,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_key, seq);
CREATE INDEX audit_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_by_site ON audit_log (site_code, seq);

-- Append-only, enforced by the database: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
