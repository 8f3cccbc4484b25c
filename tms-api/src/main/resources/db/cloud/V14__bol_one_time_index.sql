-- Every BOL wrote three index entries: its number, (site, time) and (time). Only the fleet-wide
-- page of /v1/bols (no site given) read the last; it now merges each site's first rows from
-- bol_by_site_time (io.tms.api.ingest.SiteActivityQueries), so that index goes.
DROP INDEX bol_by_time;
