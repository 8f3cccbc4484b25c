-- A terminal's secret identifies it at its own site only (each agent holds its site's terminals), so
-- it must be unique per site, not across the fleet: the seed's documented simulator secret is the
-- same at every demo site, and one site's credentials must not constrain another's.
ALTER TABLE terminal DROP CONSTRAINT terminal_secret_sha256_key;
CREATE UNIQUE INDEX terminal_site_secret ON terminal (site_code, secret_sha256);
