-- A BOL's lines live in its own row, as parallel arrays (element i of each is line i, in the order
-- the site sent them), instead of a row each in bol_line: a load's 3-5 lines cost PostgreSQL one
-- heap tuple and one B-tree entry of bol's, not 3-5 more of each (plus their WAL records) on every
-- uplink batch. bol_line stays, as a view that unnests the arrays, so every reader of it (the BOL
-- queries, reports, tests) reads the same rows and columns as before.
ALTER TABLE bol
  ADD COLUMN line_compartment   INTEGER[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_product_code  TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_customer_id   TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_allocation_id TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_arm_id        TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_meter_id      TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_tank_id       TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_preset_gal    BIGINT[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_gross_gal     DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_net_gal       DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_temperature_f DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_base_density  DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_api_gravity   DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_ctl           DOUBLE PRECISION[] NOT NULL DEFAULT '{}',
  ADD COLUMN line_consumed_gal  BIGINT[] NOT NULL DEFAULT '{}';

UPDATE bol b SET
  line_compartment = l.compartment, line_product_code = l.product_code, line_customer_id = l.customer_id,
  line_allocation_id = l.allocation_id, line_arm_id = l.arm_id, line_meter_id = l.meter_id,
  line_tank_id = l.tank_id, line_preset_gal = l.preset_gal, line_gross_gal = l.gross_gal, line_net_gal = l.net_gal,
  line_temperature_f = l.temperature_f, line_base_density = l.base_density, line_api_gravity = l.api_gravity,
  line_ctl = l.ctl, line_consumed_gal = l.consumed_gal
FROM (
  SELECT bol_number,
         array_agg(compartment ORDER BY compartment) AS compartment,
         array_agg(product_code ORDER BY compartment) AS product_code,
         array_agg(customer_id ORDER BY compartment) AS customer_id,
         array_agg(allocation_id ORDER BY compartment) AS allocation_id,
         array_agg(arm_id ORDER BY compartment) AS arm_id,
         array_agg(meter_id ORDER BY compartment) AS meter_id,
         array_agg(tank_id ORDER BY compartment) AS tank_id,
         array_agg(preset_gal ORDER BY compartment) AS preset_gal,
         array_agg(gross_gal ORDER BY compartment) AS gross_gal,
         array_agg(net_gal ORDER BY compartment) AS net_gal,
         array_agg(temperature_f ORDER BY compartment) AS temperature_f,
         array_agg(base_density ORDER BY compartment) AS base_density,
         array_agg(api_gravity ORDER BY compartment) AS api_gravity,
         array_agg(ctl ORDER BY compartment) AS ctl,
         array_agg(consumed_gal ORDER BY compartment) AS consumed_gal
    FROM bol_line GROUP BY bol_number) l
WHERE l.bol_number = b.number;

DROP TABLE bol_line;

-- The ingest writes every array of a row together, one element per line; the defaults above only
-- serve rows landed before this migration. A BOL of many lines is a wide row: kept inline up to a
-- page rather than compressed by TOAST from 2 kB on (the ingest would pay for pglz on every one).
ALTER TABLE bol ALTER COLUMN line_compartment DROP DEFAULT, ALTER COLUMN line_product_code DROP DEFAULT,
  ALTER COLUMN line_customer_id DROP DEFAULT, ALTER COLUMN line_allocation_id DROP DEFAULT,
  ALTER COLUMN line_arm_id DROP DEFAULT, ALTER COLUMN line_meter_id DROP DEFAULT,
  ALTER COLUMN line_tank_id DROP DEFAULT, ALTER COLUMN line_preset_gal DROP DEFAULT,
  ALTER COLUMN line_gross_gal DROP DEFAULT, ALTER COLUMN line_net_gal DROP DEFAULT,
  ALTER COLUMN line_temperature_f DROP DEFAULT, ALTER COLUMN line_base_density DROP DEFAULT,
  ALTER COLUMN line_api_gravity DROP DEFAULT, ALTER COLUMN line_ctl DROP DEFAULT,
  ALTER COLUMN line_consumed_gal DROP DEFAULT;
ALTER TABLE bol SET (toast_tuple_target = 8160);

CREATE VIEW bol_line AS
SELECT b.number AS bol_number, l.compartment, b.site_code, l.product_code, l.customer_id, l.allocation_id, l.arm_id,
       l.meter_id, l.tank_id, l.preset_gal, l.gross_gal, l.net_gal, l.temperature_f, l.base_density, l.api_gravity,
       l.ctl, l.consumed_gal
  FROM bol b
 CROSS JOIN LATERAL unnest(b.line_compartment, b.line_product_code, b.line_customer_id, b.line_allocation_id,
       b.line_arm_id, b.line_meter_id, b.line_tank_id, b.line_preset_gal, b.line_gross_gal, b.line_net_gal,
       b.line_temperature_f, b.line_base_density, b.line_api_gravity, b.line_ctl, b.line_consumed_gal)
       AS l(compartment, product_code, customer_id, allocation_id, arm_id, meter_id, tank_id, preset_gal, gross_gal,
            net_gal, temperature_f, base_density, api_gravity, ctl, consumed_gal);
