-- The reserve ledger (DESIGN §4, docs/reserves.md): per allocation x site, four running totals
-- that only grow. The cloud is bound to sum(granted_total - released_total) <= allocation.quantity_gal;
-- the reserve job checks it before every grant (io.tms.domain.allocation.Escrow).
--
-- No foreign keys on the ledger itself: the uplink ingest lands what a site reports (a BOL line of
-- an allocation the cloud does not know, a site's release) and must never fail on it.
CREATE TABLE reserve_account (
  allocation_id           TEXT NOT NULL,
  site_code               TEXT NOT NULL,
  granted_total           BIGINT NOT NULL DEFAULT 0 CHECK (granted_total >= 0),
  release_requested_total BIGINT NOT NULL DEFAULT 0 CHECK (release_requested_total >= 0),
  released_total          BIGINT NOT NULL DEFAULT 0 CHECK (released_total >= 0),
  consumed_total          BIGINT NOT NULL DEFAULT 0 CHECK (consumed_total >= 0),
  version                 BIGINT NOT NULL DEFAULT 1,
  updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (allocation_id, site_code)
);

-- One row per consumption report (a BOL line): lands a replayed report once, and gives the recent
-- consumption rate that sizes each site's reserve.
CREATE TABLE reserve_consumption (
  allocation_id TEXT NOT NULL,
  site_code     TEXT NOT NULL,
  reference     TEXT NOT NULL,
  gallons       BIGINT NOT NULL CHECK (gallons >= 0),
  consumed_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (allocation_id, site_code, reference)
);
CREATE INDEX reserve_consumption_recent ON reserve_consumption (allocation_id, consumed_at);

-- The sites that take part in an allocation's escrow (until lifting rights feed this) and the
-- operator's floor for a site's reserve (NULL: the policy's initial reserve).
CREATE TABLE reserve_site (
  allocation_id TEXT NOT NULL REFERENCES allocation (id),
  site_code     TEXT NOT NULL REFERENCES site (code),
  participating BOOLEAN NOT NULL DEFAULT TRUE,
  minimum_gal   BIGINT CHECK (minimum_gal >= 0),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (allocation_id, site_code)
);

-- One reserve round per interval across every replica: a replica runs a round only if it moves
-- started_at forward (UPDATE ... WHERE started_at <= now() - interval).
CREATE TABLE reserve_round (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  round      BIGINT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL
);
INSERT INTO reserve_round (id, round, started_at) VALUES (1, 0, '-infinity');
