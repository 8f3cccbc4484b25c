-- Site certificates (DESIGN §5): the cloud's CA, one-time bootstrap tokens and every certificate
-- issued to a site, with its revocation.

-- The CA as an encrypted PKCS#12 keystore (passphrase from TMS_CA_PASSPHRASE[_FILE], never stored
-- here). One row: the first replica creates it under an advisory lock, every replica loads it.
CREATE TABLE pki_ca (
  id         SMALLINT PRIMARY KEY CHECK (id = 1),
  keystore   BYTEA NOT NULL,
  subject    TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- Bootstrap tokens: only the SHA-256 of the token is kept; used_at makes it single use.
CREATE TABLE bootstrap_token (
  token_hash TEXT PRIMARY KEY,
  site_code  TEXT NOT NULL REFERENCES site (code),
  issued_at  TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ
);
CREATE INDEX bootstrap_token_site ON bootstrap_token (site_code);

-- Every certificate the CA issued to a site (serial in hex). revoked_at set = refused everywhere.
CREATE TABLE site_certificate (
  serial     TEXT PRIMARY KEY,
  site_code  TEXT NOT NULL REFERENCES site (code),
  not_before TIMESTAMPTZ NOT NULL,
  not_after  TIMESTAMPTZ NOT NULL,
  issued_at  TIMESTAMPTZ NOT NULL,
  via        TEXT NOT NULL CHECK (via IN ('ENROLL', 'REENROLL')),
  revoked_at TIMESTAMPTZ
);
CREATE INDEX site_certificate_site ON site_certificate (site_code);
CREATE INDEX site_certificate_revoked ON site_certificate (serial) WHERE revoked_at IS NOT NULL;
