-- Master data owned by the admin API (docs/cloud-api.md). Every row carries a version (the ETag of
-- the admin API, raised by one on each write) and is never deleted: deactivation sets active=false
-- (a driver's card_active, a lifting right's granted). Keys are global even for site-scoped
-- entities (a tank or bay id names one thing everywhere), so the change feed's (entity, key) is
-- unique. Nested parts that only travel whole (arms, compartments, certifications) are jsonb.

CREATE TABLE product (
  code            TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  commodity_group TEXT NOT NULL,
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  version         BIGINT NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tank (
  id           TEXT PRIMARY KEY,
  site_code    TEXT NOT NULL REFERENCES site (code),
  product_code TEXT NOT NULL REFERENCES product (code),
  capacity_gal DOUBLE PRECISION NOT NULL CHECK (capacity_gal > 0),
  base_density DOUBLE PRECISION NOT NULL,
  active       BOOLEAN NOT NULL DEFAULT TRUE,
  version      BIGINT NOT NULL DEFAULT 1,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tank_by_site ON tank (site_code, id);

-- arms: [{"id", "meterId", "tankByProduct": {product: tank}}]
CREATE TABLE bay (
  id         TEXT PRIMARY KEY,
  site_code  TEXT NOT NULL REFERENCES site (code),
  name       TEXT NOT NULL,
  arms       JSONB NOT NULL,
  active     BOOLEAN NOT NULL DEFAULT TRUE,
  version    BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX bay_by_site ON bay (site_code, id);

CREATE TABLE customer (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  active     BOOLEAN NOT NULL DEFAULT TRUE,
  version    BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE carrier (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  insurance_expires DATE NOT NULL,
  active            BOOLEAN NOT NULL DEFAULT TRUE,
  version           BIGINT NOT NULL DEFAULT 1,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- pin_hash: io.tms.domain.authorization.PinHash encoded (never the PIN). carrier_ids: ["id", ...];
-- certifications: {"HAZMAT": "2027-01-31", ...}
CREATE TABLE driver (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  card_number    TEXT NOT NULL UNIQUE,
  card_active    BOOLEAN NOT NULL DEFAULT TRUE,
  pin_hash       TEXT NOT NULL,
  carrier_ids    JSONB NOT NULL,
  certifications JSONB NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- compartments: [{"number", "capacityGallons"}]
CREATE TABLE vehicle (
  id                 TEXT PRIMARY KEY,
  carrier_id         TEXT NOT NULL REFERENCES carrier (id),
  inspection_expires DATE NOT NULL,
  compartments       JSONB NOT NULL,
  active             BOOLEAN NOT NULL DEFAULT TRUE,
  version            BIGINT NOT NULL DEFAULT 1,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX vehicle_by_carrier ON vehicle (carrier_id);

-- A customer may lift a product at a site while granted; withdrawing keeps the row (granted=false).
CREATE TABLE lifting (
  site_code    TEXT NOT NULL REFERENCES site (code),
  customer_id  TEXT NOT NULL REFERENCES customer (id),
  product_code TEXT NOT NULL REFERENCES product (code),
  granted      BOOLEAN NOT NULL DEFAULT TRUE,
  version      BIGINT NOT NULL DEFAULT 1,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (site_code, customer_id, product_code)
);
