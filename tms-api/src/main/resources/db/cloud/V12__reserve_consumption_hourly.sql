-- The reserve ledger's consumption rate from landed BOL lines, per allocation x site x hour
-- (docs/reserves.md). The uplink ingest lands each BOL line exactly once (the site's cursor, and
-- bol_line's primary key), so it needs no row per line to refuse a replay: it adds a batch's
-- lines to one row per (allocation, hour) here and to reserve_account.consumed_total. Reports by
-- reference (ReserveLedger.consumed) still go to reserve_consumption, which deduplicates them; the
-- rate reads both.
--
-- Independent of the reserve tables (V20): with Flyway's out-of-order mode this runs after V11 on
-- a new database and after V60 on a cloud upgraded in place, to the same result.
CREATE TABLE reserve_consumption_hourly (
  allocation_id TEXT COLLATE "C" NOT NULL,
  hour          TIMESTAMPTZ NOT NULL,            -- the UTC hour the lines' BOLs completed in
  site_code     TEXT COLLATE "C" NOT NULL,
  gallons       BIGINT NOT NULL CHECK (gallons >= 0),
  PRIMARY KEY (allocation_id, hour, site_code)
);
