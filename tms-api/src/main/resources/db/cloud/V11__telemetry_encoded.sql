-- Telemetry blocks in the compact form (io.tms.protocol.v1.TelemetryBlock, docs/sync-protocol.md
-- "Telemetry blocks") land as their bytes, undecoded: `encoded` holds them and `samples` is NULL.
-- Blocks in the JSON form still fill `samples`. Exactly one of the two is set.
ALTER TABLE telemetry_block ALTER COLUMN samples DROP NOT NULL;
ALTER TABLE telemetry_block ADD COLUMN encoded BYTEA;
ALTER TABLE telemetry_block ADD CONSTRAINT telemetry_block_one_form
  CHECK ((samples IS NULL) <> (encoded IS NULL));
-- varint deltas barely compress either: no pglz on the ingest path.
ALTER TABLE telemetry_block ALTER COLUMN encoded SET STORAGE EXTERNAL;
