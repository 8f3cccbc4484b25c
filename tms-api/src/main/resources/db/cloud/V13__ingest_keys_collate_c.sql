-- Identifier keys of the uplink's tables compare by bytes (COLLATE "C"), not by the database's
-- locale: every B-tree insert of the ingest compares them, and a locale collation goes through
-- strcoll (~6 % of PostgreSQL's CPU on the uplink before this). They are codes and ids, not words:
-- byte order is the order a reader expects of them. Orders by these columns (the keyset pages of
-- /v1/bols and /v1/loads, tanks in /v1/sites/{site}/inventory) follow byte order from here on.
-- Compared with a column of the default collation (site.code), "C" wins, so joins need no COLLATE.
-- No table is rewritten (same type); the indexes on these columns are rebuilt.
ALTER TABLE authorization_decision
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE site_load
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE bol
  ALTER COLUMN number TYPE TEXT COLLATE "C",
  ALTER COLUMN site_code TYPE TEXT COLLATE "C";
ALTER TABLE bol_line
  ALTER COLUMN bol_number TYPE TEXT COLLATE "C";
ALTER TABLE inventory_movement
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN tank_id TYPE TEXT COLLATE "C";
ALTER TABLE gauge_reading
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN tank_id TYPE TEXT COLLATE "C";
ALTER TABLE card_unlock
  ALTER COLUMN site_code TYPE TEXT COLLATE "C";
ALTER TABLE reserve_release
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN allocation_id TYPE TEXT COLLATE "C";
ALTER TABLE telemetry_block
  ALTER COLUMN site_code TYPE TEXT COLLATE "C",
  ALTER COLUMN source_id TYPE TEXT COLLATE "C";
