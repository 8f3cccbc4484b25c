-- The site database of one edge agent (SQLite, WAL, synchronous=FULL).
-- Master-data replica tables are owned by the cloud and only written by the change feed (or seed);
-- transaction tables are born here and leave through the outbox.

-- ---------------------------------------------------------------- master data (replica)
CREATE TABLE site (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  zone TEXT NOT NULL
);

CREATE TABLE product (
  code            TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  commodity_group TEXT NOT NULL
);

CREATE TABLE tank (
  id            TEXT PRIMARY KEY,
  product_code  TEXT NOT NULL REFERENCES product (code),
  capacity_gal  REAL NOT NULL CHECK (capacity_gal > 0),
  base_density  REAL NOT NULL
);

CREATE TABLE bay (
  id     TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  active INTEGER NOT NULL
);

CREATE TABLE arm (
  id       TEXT PRIMARY KEY,
  bay_id   TEXT NOT NULL REFERENCES bay (id),
  meter_id TEXT NOT NULL
);

CREATE TABLE arm_product (
  arm_id       TEXT NOT NULL REFERENCES arm (id),
  product_code TEXT NOT NULL REFERENCES product (code),
  tank_id      TEXT NOT NULL REFERENCES tank (id),
  PRIMARY KEY (arm_id, product_code)
);

CREATE TABLE customer (
  id     TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  active INTEGER NOT NULL
);

CREATE TABLE carrier (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  active            INTEGER NOT NULL,
  insurance_expires TEXT NOT NULL
);

CREATE TABLE driver (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  card_number TEXT NOT NULL UNIQUE,
  card_active INTEGER NOT NULL,
  pin_hash    TEXT NOT NULL
);

CREATE TABLE driver_carrier (
  driver_id  TEXT NOT NULL REFERENCES driver (id),
  carrier_id TEXT NOT NULL REFERENCES carrier (id),
  PRIMARY KEY (driver_id, carrier_id)
);

CREATE TABLE driver_certification (
  driver_id TEXT NOT NULL REFERENCES driver (id),
  name      TEXT NOT NULL,
  expires   TEXT NOT NULL,
  PRIMARY KEY (driver_id, name)
);

CREATE TABLE vehicle (
  id                 TEXT PRIMARY KEY,
  carrier_id         TEXT NOT NULL REFERENCES carrier (id),
  active             INTEGER NOT NULL,
  inspection_expires TEXT NOT NULL
);

CREATE TABLE compartment (
  vehicle_id   TEXT NOT NULL REFERENCES vehicle (id),
  number       INTEGER NOT NULL,
  capacity_gal INTEGER NOT NULL CHECK (capacity_gal > 0),
  PRIMARY KEY (vehicle_id, number)
);

-- customer x product lifting rights at this site
CREATE TABLE customer_product (
  customer_id  TEXT NOT NULL REFERENCES customer (id),
  product_code TEXT NOT NULL REFERENCES product (code),
  PRIMARY KEY (customer_id, product_code)
);

CREATE TABLE allocation (
  id           TEXT PRIMARY KEY,
  customer_id  TEXT NOT NULL REFERENCES customer (id),
  product_code TEXT NOT NULL REFERENCES product (code),
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  quantity_gal INTEGER NOT NULL CHECK (quantity_gal >= 0)
);
CREATE INDEX allocation_by_customer_product ON allocation (customer_id, product_code, period_start);

-- this site's escrowed slice of an allocation (DESIGN §4); granted by the cloud, spent here
CREATE TABLE reserve (
  allocation_id TEXT PRIMARY KEY REFERENCES allocation (id),
  granted_gal   INTEGER NOT NULL CHECK (granted_gal >= 0),
  consumed_gal  INTEGER NOT NULL DEFAULT 0 CHECK (consumed_gal >= 0),
  held_gal      INTEGER NOT NULL DEFAULT 0 CHECK (held_gal >= 0),
  CHECK (consumed_gal + held_gal <= granted_gal)
);

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- ---------------------------------------------------------------- born at the site
CREATE TABLE site_sequence (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE card_state (
  card_number         TEXT PRIMARY KEY,
  failed_pin_attempts INTEGER NOT NULL,
  locked              INTEGER NOT NULL,
  updated_at          TEXT NOT NULL
);

CREATE TABLE driver_authorization (
  id            TEXT PRIMARY KEY,
  decided_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  approved      INTEGER NOT NULL,
  card_number   TEXT NOT NULL,
  driver_id     TEXT,
  carrier_id    TEXT,
  vehicle_id    TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  load_id       TEXT
);
CREATE INDEX authorization_waiting ON driver_authorization (decided_at) WHERE approved = 1 AND load_id IS NULL;

CREATE TABLE load (
  id               TEXT PRIMARY KEY,
  authorization_id TEXT NOT NULL UNIQUE REFERENCES driver_authorization (id),
  bay_id           TEXT NOT NULL REFERENCES bay (id),
  vehicle_id       TEXT NOT NULL,
  driver_id        TEXT NOT NULL,
  carrier_id       TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('LOADING', 'COMPLETED', 'CANCELLED')),
  started_at       TEXT NOT NULL,
  ended_at         TEXT,
  bol_number       TEXT
);
-- one truck at a bay at a time: of two terminals racing for a bay, exactly one wins
CREATE UNIQUE INDEX load_one_active_per_bay ON load (bay_id) WHERE status = 'LOADING';

CREATE TABLE load_compartment (
  load_id       TEXT NOT NULL REFERENCES load (id),
  compartment   INTEGER NOT NULL,
  customer_id   TEXT NOT NULL,
  product_code  TEXT NOT NULL,
  allocation_id TEXT NOT NULL,
  arm_id        TEXT NOT NULL,
  meter_id      TEXT NOT NULL,
  tank_id       TEXT NOT NULL,
  preset_gal    INTEGER NOT NULL,
  PRIMARY KEY (load_id, compartment)
);

CREATE TABLE bol (
  number     TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL UNIQUE,
  load_id    TEXT NOT NULL UNIQUE REFERENCES load (id),
  issued_at  TEXT NOT NULL,
  total_gross REAL NOT NULL,
  total_net  REAL NOT NULL,
  body_json  TEXT NOT NULL
);

CREATE TABLE bol_line (
  bol_number    TEXT NOT NULL REFERENCES bol (number),
  compartment   INTEGER NOT NULL,
  product_code  TEXT NOT NULL,
  customer_id   TEXT NOT NULL,
  allocation_id TEXT NOT NULL,
  tank_id       TEXT NOT NULL,
  gross_gal     REAL NOT NULL,
  net_gal       REAL NOT NULL,
  temperature_f REAL NOT NULL,
  base_density  REAL NOT NULL,
  ctl           REAL NOT NULL,
  PRIMARY KEY (bol_number, compartment)
);

CREATE TABLE tank_inventory (
  tank_id      TEXT PRIMARY KEY REFERENCES tank (id),
  book_net_gal REAL NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE inventory_movement (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  tank_id      TEXT NOT NULL REFERENCES tank (id),
  moved_at     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  reference    TEXT NOT NULL,
  delta_net    REAL NOT NULL,
  book_after   REAL NOT NULL
);

CREATE TABLE gauge_reading (
  id            TEXT PRIMARY KEY,
  tank_id       TEXT NOT NULL REFERENCES tank (id),
  read_at       TEXT NOT NULL,
  gross_gal     REAL NOT NULL,
  water_gal     REAL NOT NULL,
  temperature_f REAL NOT NULL,
  net_gal       REAL NOT NULL,
  book_net_gal  REAL NOT NULL
);
CREATE INDEX gauge_reading_latest ON gauge_reading (tank_id, read_at);

CREATE TABLE idempotency (
  key           TEXT PRIMARY KEY,
  operation     TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response_json TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- ---------------------------------------------------------------- the outbox (DESIGN §3)
-- One hash chain and one seq per lane, so the business lane can drain before telemetry and the
-- cloud can still detect a gap or a reordering in each.
CREATE TABLE outbox (
  lane        TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  body        TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (lane, seq)
) WITHOUT ROWID;

CREATE TABLE outbox_head (
  lane      TEXT PRIMARY KEY,
  last_seq  INTEGER NOT NULL,
  last_hash TEXT NOT NULL,
  acked_seq INTEGER NOT NULL DEFAULT 0
);
