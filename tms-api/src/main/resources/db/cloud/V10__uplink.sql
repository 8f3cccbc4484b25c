-- Uplink ingest (DESIGN §3): each site's outbox lanes land here exactly once.

-- One row per site x lane: the highest seq applied and its hash (the chain continues from it).
-- A batch locks this row (SELECT ... FOR UPDATE) for the whole apply transaction, so the same batch
-- arriving at two replicas applies once. broken_* is set when a batch failed the hash-chain check:
-- the lane then refuses every batch until an operator clears the flag (see docs/sync-protocol.md).
CREATE TABLE edge_cursor (
  site_code     TEXT NOT NULL REFERENCES site (code),
  lane          TEXT NOT NULL CHECK (lane IN ('BUSINESS', 'TELEMETRY')),
  seq           BIGINT NOT NULL DEFAULT 0,
  hash          TEXT NOT NULL,
  dropped       BIGINT NOT NULL DEFAULT 0,       -- telemetry events the site dropped on purpose (budget)
  batches       BIGINT NOT NULL DEFAULT 0,
  applied_at    TIMESTAMPTZ,
  broken_at     TIMESTAMPTZ,
  broken_seq    BIGINT,
  broken_reason TEXT,
  PRIMARY KEY (site_code, lane)
);

-- ---------------------------------------------------------------- business events, typed
CREATE TABLE authorization_decision (
  site_code        TEXT NOT NULL,
  id               TEXT NOT NULL,
  seq              BIGINT NOT NULL,
  decided_at       TIMESTAMPTZ NOT NULL,
  expires_at       TIMESTAMPTZ,
  approved         BOOLEAN NOT NULL,
  deny_codes       TEXT[] NOT NULL,
  card_number      TEXT,
  driver_id        TEXT,
  carrier_id       TEXT,
  vehicle_id       TEXT,
  card_locked      BOOLEAN NOT NULL,
  compartments     INTEGER NOT NULL,
  PRIMARY KEY (site_code, id)
);

-- A load as it moves: started (LOADING), then COMPLETED by its BOL or CANCELLED.
CREATE TABLE site_load (
  site_code        TEXT NOT NULL,
  id               TEXT NOT NULL,
  authorization_id TEXT,
  bay_id           TEXT,
  vehicle_id       TEXT,
  status           TEXT NOT NULL CHECK (status IN ('LOADING', 'COMPLETED', 'CANCELLED')),
  started_at       TIMESTAMPTZ,
  ended_at         TIMESTAMPTZ,
  bol_number       TEXT,
  cancel_reason    TEXT,
  compartments     INTEGER NOT NULL DEFAULT 0,
  seq              BIGINT NOT NULL,
  PRIMARY KEY (site_code, id)
);
CREATE INDEX site_load_by_time ON site_load (site_code, started_at);

CREATE TABLE bol (
  number            TEXT PRIMARY KEY,             -- site code + site sequence: unique fleet-wide
  site_code         TEXT NOT NULL,
  seq               BIGINT NOT NULL,
  load_id           TEXT NOT NULL,
  bay_id            TEXT,
  driver_id         TEXT,
  carrier_id        TEXT,
  vehicle_id        TEXT,
  started_at        TIMESTAMPTZ,
  completed_at      TIMESTAMPTZ NOT NULL,
  total_gross_gal   DOUBLE PRECISION NOT NULL,
  total_net_gal     DOUBLE PRECISION NOT NULL,
  customer_ids      TEXT[] NOT NULL,              -- of its lines, for the queries by customer/product
  product_codes     TEXT[] NOT NULL
);
-- Indexes cost ingest speed (every row of every batch updates each): two B-trees serve the
-- keyset pages by site and by time; customer and product filter those rows (no GIN on the arrays).
CREATE INDEX bol_by_site_time ON bol (site_code, completed_at, number);
CREATE INDEX bol_by_time ON bol (completed_at, number);

CREATE TABLE bol_line (
  bol_number       TEXT NOT NULL,
  compartment      INTEGER NOT NULL,
  site_code        TEXT NOT NULL,
  product_code     TEXT NOT NULL,
  customer_id      TEXT NOT NULL,
  allocation_id    TEXT,
  arm_id           TEXT,
  meter_id         TEXT,
  tank_id          TEXT,
  preset_gal       BIGINT NOT NULL,
  gross_gal        DOUBLE PRECISION NOT NULL,
  net_gal          DOUBLE PRECISION NOT NULL,
  temperature_f    DOUBLE PRECISION NOT NULL,
  base_density     DOUBLE PRECISION NOT NULL,
  api_gravity      DOUBLE PRECISION NOT NULL,
  ctl              DOUBLE PRECISION NOT NULL,
  consumed_gal     BIGINT NOT NULL,
  PRIMARY KEY (bol_number, compartment)
);

CREATE TABLE inventory_movement (
  site_code        TEXT NOT NULL,
  seq              BIGINT NOT NULL,
  tank_id          TEXT NOT NULL,
  moved_at         TIMESTAMPTZ NOT NULL,
  reason           TEXT NOT NULL,
  reference        TEXT,
  delta_net_gal    DOUBLE PRECISION NOT NULL,
  book_after_gal   DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (site_code, tank_id, seq)          -- also serves "latest per tank" (one index, not two)
);

CREATE TABLE gauge_reading (
  site_code        TEXT NOT NULL,
  seq              BIGINT NOT NULL,
  id               TEXT NOT NULL,
  tank_id          TEXT NOT NULL,
  read_at          TIMESTAMPTZ NOT NULL,
  gross_gal        DOUBLE PRECISION NOT NULL,
  water_gal        DOUBLE PRECISION NOT NULL,
  temperature_f    DOUBLE PRECISION NOT NULL,
  net_gal          DOUBLE PRECISION NOT NULL,
  book_net_gal     DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (site_code, tank_id, seq)
);

CREATE TABLE card_unlock (
  site_code        TEXT NOT NULL,
  seq              BIGINT NOT NULL,
  card_number      TEXT NOT NULL,
  unlocked_at      TIMESTAMPTZ NOT NULL,
  operator         TEXT,
  PRIMARY KEY (site_code, seq)
);

-- Unused reserve a site gave back (DESIGN §4); the reserve ledger consumes these.
CREATE TABLE reserve_release (
  site_code          TEXT NOT NULL,
  seq                BIGINT NOT NULL,
  allocation_id      TEXT NOT NULL,
  released_gal       BIGINT NOT NULL,
  released_total_gal BIGINT NOT NULL,
  released_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (site_code, seq)
);
CREATE INDEX reserve_release_by_allocation ON reserve_release (allocation_id, site_code);

-- ---------------------------------------------------------------- telemetry, one row per block
-- samples[i][m] was taken at first_at + i * interval_ms, metric metrics[m]. No primary key and no
-- index beyond (site, source, time): telemetry is bulk-loaded with COPY, exactly once by the cursor.
CREATE TABLE telemetry_block (
  site_code     TEXT NOT NULL,
  seq           BIGINT NOT NULL,
  source_kind   TEXT NOT NULL,
  source_id     TEXT NOT NULL,
  first_at      TIMESTAMPTZ NOT NULL,
  interval_ms   INTEGER NOT NULL,
  sample_count  INTEGER NOT NULL,
  metrics       TEXT[] NOT NULL,
  samples       DOUBLE PRECISION[] NOT NULL
);
CREATE INDEX telemetry_block_by_source ON telemetry_block (site_code, source_id, first_at);
-- A block's samples are kilobytes of doubles that barely compress: store them out of line as they
-- are instead of running pglz over every block on the ingest path.
ALTER TABLE telemetry_block ALTER COLUMN samples SET STORAGE EXTERNAL;
