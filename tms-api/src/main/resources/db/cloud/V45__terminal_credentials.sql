-- Terminal credentials (DESIGN §5): one per kiosk or bay controller of a site, issued by the admin
-- API. The secret is random (256 bits) and shown once when issued or rotated; only its SHA-256 is
-- kept here and sent to the site through the change feed (entity "terminal").
CREATE TABLE terminal (
  site_code     TEXT NOT NULL REFERENCES site (code),
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('KIOSK', 'BAY_CONTROLLER', 'CONSOLE', 'OTHER')),
  secret_sha256 TEXT NOT NULL UNIQUE,
  active        BOOLEAN NOT NULL DEFAULT TRUE,
  version       BIGINT NOT NULL DEFAULT 1,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (site_code, id)
);
