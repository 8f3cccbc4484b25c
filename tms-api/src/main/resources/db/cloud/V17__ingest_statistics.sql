-- Planner statistics only where a query can use them. ANALYZE samples 30,000 rows of a table and
-- computes, per column, its most common values, histogram and (for arrays) element statistics.
-- On bol, at 100,000 BOLs, that took 2.3-2.4 s of a core, 1.4 s of it for the 15 line_* arrays
-- that no query filters, joins or sorts on (the BOL queries use site_code, completed_at, number,
-- customer_ids and product_codes; bol_line unnests the arrays, whose statistics it does not read).
-- Autovacuum runs ANALYZE every time a table has grown by 10 %, so on a cloud landing uplinks it
-- ran beside the ingest, on the same cores: in `tms bench sync` an autoanalyze of bol inside the
-- measured window took ~17 % of the machine. The same for telemetry_block's payload (the
-- metric names and the samples, read only whole by block). With these, ANALYZE bol: 0.52-0.61 s.
ALTER TABLE bol
  ALTER COLUMN line_compartment   SET STATISTICS 0,
  ALTER COLUMN line_product_code  SET STATISTICS 0,
  ALTER COLUMN line_customer_id   SET STATISTICS 0,
  ALTER COLUMN line_allocation_id SET STATISTICS 0,
  ALTER COLUMN line_arm_id        SET STATISTICS 0,
  ALTER COLUMN line_meter_id      SET STATISTICS 0,
  ALTER COLUMN line_tank_id       SET STATISTICS 0,
  ALTER COLUMN line_preset_gal    SET STATISTICS 0,
  ALTER COLUMN line_gross_gal     SET STATISTICS 0,
  ALTER COLUMN line_net_gal       SET STATISTICS 0,
  ALTER COLUMN line_temperature_f SET STATISTICS 0,
  ALTER COLUMN line_base_density  SET STATISTICS 0,
  ALTER COLUMN line_api_gravity   SET STATISTICS 0,
  ALTER COLUMN line_ctl           SET STATISTICS 0,
  ALTER COLUMN line_consumed_gal  SET STATISTICS 0;

ALTER TABLE telemetry_block
  ALTER COLUMN metrics SET STATISTICS 0,
  ALTER COLUMN samples SET STATISTICS 0,
  ALTER COLUMN encoded SET STATISTICS 0;
