-- A load cycle writes fewer and smaller rows (tms bench edge; docs/benchmarks.md).

-- The answer to a completed load is its BOL document, already kept in bol.body_json: the idempotency
-- record of a completion now names the BOL instead of holding a second copy (response_json is then
-- empty). Records written before this migration keep their copy and are answered from it.
ALTER TABLE idempotency ADD COLUMN bol_number TEXT;

-- Movements are only ever appended and never looked up by id; AUTOINCREMENT made every insert also
-- update sqlite_sequence. Same columns and ids, ordinary rowid.
CREATE TABLE inventory_movement_v5 (
  id           INTEGER PRIMARY KEY,
  tank_id      TEXT NOT NULL REFERENCES tank (id),
  moved_at     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  reference    TEXT NOT NULL,
  delta_net    REAL NOT NULL,
  book_after   REAL NOT NULL
);
INSERT INTO inventory_movement_v5 (id, tank_id, moved_at, reason, reference, delta_net, book_after)
  SELECT id, tank_id, moved_at, reason, reference, delta_net, book_after FROM inventory_movement;
DROP TABLE inventory_movement;
ALTER TABLE inventory_movement_v5 RENAME TO inventory_movement;
