-- Tank and bay ids name a thing within ONE site (every terminal has its T01 and its B01), not across
-- the fleet: V2 made them global primary keys, so a second site seeded with the same ids collided.
-- The key becomes (site_code, id); arms were already unique per site (BayAdmin checks it). The feed
-- keys these records by site too (TankV1/BayV1 key() = site/id), so a snapshot keeps each site's own.
-- Nothing refers to tank(id) or bay(id) by foreign key (uplink rows carry site_code with the id).
ALTER TABLE tank DROP CONSTRAINT tank_pkey;
DROP INDEX tank_by_site;
ALTER TABLE tank ADD PRIMARY KEY (site_code, id);

ALTER TABLE bay DROP CONSTRAINT bay_pkey;
DROP INDEX bay_by_site;
ALTER TABLE bay ADD PRIMARY KEY (site_code, id);

-- Change-log rows written before this migration keyed tanks and bays by id alone; re-key them the
-- way ChangeLog now does, so "the latest record per (entity, key)" of a snapshot stays one per thing.
UPDATE change_log SET key = site_code || '/' || key
 WHERE entity IN ('tank', 'bay') AND site_code IS NOT NULL AND position('/' IN key) = 0;
