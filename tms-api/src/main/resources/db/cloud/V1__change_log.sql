-- The cloud database of TMS (PostgreSQL >= 14). Shared by every tms-api replica.
-- Migration numbers by area, so parallel work does not collide:
--   V1-V9 sites, master data and the change feed; V10-V19 uplink ingest; V20-V29 reserves;
--   V30-V39 fleet.

-- ---------------------------------------------------------------- sites
CREATE TABLE site (
  code        TEXT PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,9}$'),
  name        TEXT NOT NULL,
  zone        TEXT NOT NULL,
  active      BOOLEAN NOT NULL DEFAULT TRUE,
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- the change feed (DESIGN §3)
-- Every master-data write appends here in its own transaction. rev is drawn from feed_head with an
-- UPDATE, whose row lock is held until commit: writers take revs one after another and commit in
-- rev order, so a reader that has seen rev N has seen every rev below it (the feed is gap-free in
-- commit order). Admin writes are rare; the serialization costs nothing that matters.
CREATE TABLE feed_head (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  rev BIGINT NOT NULL
);
INSERT INTO feed_head (id, rev) VALUES (1, 0);

CREATE TABLE change_log (
  rev        BIGINT PRIMARY KEY,
  site_code  TEXT REFERENCES site (code),   -- NULL: every site
  entity     TEXT NOT NULL,
  key        TEXT NOT NULL,
  record     JSONB NOT NULL,                -- a MasterRecordV1, entity included
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX change_log_by_site ON change_log (site_code, rev);
CREATE INDEX change_log_latest ON change_log (entity, key, rev DESC);

-- ---------------------------------------------------------------- allocations (DESIGN §4)
-- Customer x product x period, in whole gross gallons, shared by every site. The admin API owns
-- these rows; the reserve ledger (V20+) escrows slices of quantity_gal to sites.
CREATE TABLE allocation (
  id           TEXT PRIMARY KEY,
  customer_id  TEXT NOT NULL,
  product_code TEXT NOT NULL,
  period_start DATE NOT NULL,
  period_end   DATE NOT NULL CHECK (period_end >= period_start),
  quantity_gal BIGINT NOT NULL CHECK (quantity_gal >= 0),
  active       BOOLEAN NOT NULL DEFAULT TRUE,
  version      BIGINT NOT NULL DEFAULT 1,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX allocation_by_customer_product ON allocation (customer_id, product_code, period_start);
