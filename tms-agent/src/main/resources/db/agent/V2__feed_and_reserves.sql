-- The change feed (DESIGN §3) delivers whole records, deactivations included; the cloud never
-- deletes master data, so the replica keeps every row (loads and BOLs refer to them) and flags it.
ALTER TABLE product ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
-- an inactive tank feeds no arm: bays stop offering its product from it; book inventory is kept
ALTER TABLE tank ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE allocation ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- Reserves (DESIGN §4) as the cloud sends them: running totals. granted_gal is everything ever
-- granted, release_requested_gal everything the cloud ever asked back, released_gal everything this
-- site gave back (each release is a reserve.released.v1 event). The site spends granted - released;
-- what it holds for loads in progress and what it consumed are never given back.
CREATE TABLE reserve_v2 (
  allocation_id         TEXT PRIMARY KEY REFERENCES allocation (id),
  granted_gal           INTEGER NOT NULL CHECK (granted_gal >= 0),
  released_gal          INTEGER NOT NULL DEFAULT 0 CHECK (released_gal >= 0),
  release_requested_gal INTEGER NOT NULL DEFAULT 0 CHECK (release_requested_gal >= 0),
  consumed_gal          INTEGER NOT NULL DEFAULT 0 CHECK (consumed_gal >= 0),
  held_gal              INTEGER NOT NULL DEFAULT 0 CHECK (held_gal >= 0),
  CHECK (consumed_gal + held_gal + released_gal <= granted_gal)
);
INSERT INTO reserve_v2 (allocation_id, granted_gal, consumed_gal, held_gal)
  SELECT allocation_id, granted_gal, consumed_gal, held_gal FROM reserve;
DROP TABLE reserve;
ALTER TABLE reserve_v2 RENAME TO reserve;
