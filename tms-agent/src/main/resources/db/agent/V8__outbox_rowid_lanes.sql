-- The outbox moves to rowid storage, one table per lane, so that event bodies stay in the table's
-- leaf pages. V1's outbox was WITHOUT ROWID with PRIMARY KEY (lane, seq): an index b-tree, whose
-- leaf keeps at most ~1,000 bytes of a row on 4 KiB pages, so most business events and every
-- telemetry block spilled into an overflow page of its own (mostly empty), written to the WAL and
-- copied again by the checkpoint. A rowid table keeps rows up to ~4,000 bytes in its leaves, and
-- appends in seq order (seq is the rowid) fill the rightmost leaf.
-- Columns: body last, so that reading a lane's head (seq, hash) never touches an overflow page.
CREATE TABLE outbox_business (
  seq         INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  body        TEXT NOT NULL
);

CREATE TABLE outbox_telemetry (
  seq         INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  body        TEXT NOT NULL
);

-- a site upgraded in place keeps its outbox, in order (outbox_head, its heads and acked cursors, is
-- unchanged)
INSERT INTO outbox_business (seq, type, occurred_at, prev_hash, hash, body)
  SELECT seq, type, occurred_at, prev_hash, hash, body FROM outbox WHERE lane = 'BUSINESS' ORDER BY seq;
INSERT INTO outbox_telemetry (seq, type, occurred_at, prev_hash, hash, body)
  SELECT seq, type, occurred_at, prev_hash, hash, body FROM outbox WHERE lane = 'TELEMETRY' ORDER BY seq;
DROP TABLE outbox;

-- The old outbox's columns, read-only, for tools and ad-hoc reads. A read by lane and seq range
-- (WHERE lane = ? AND seq > ? ORDER BY seq) is a merge of two rowid range scans, the other lane's
-- ending at once; the agent itself reads and writes the lane's table (OutboxTables).
CREATE VIEW outbox (lane, seq, type, occurred_at, body, prev_hash, hash) AS
  SELECT 'BUSINESS', seq, type, occurred_at, body, prev_hash, hash FROM outbox_business
  UNION ALL
  SELECT 'TELEMETRY', seq, type, occurred_at, body, prev_hash, hash FROM outbox_telemetry;
