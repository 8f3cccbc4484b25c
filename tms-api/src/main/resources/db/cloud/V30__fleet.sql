-- Fleet (DESIGN §6): the latest state each site reported in its heartbeat, one row per site, and
-- the history of its online/offline transitions.

-- Upserted in batches (one statement per replica per second, see HeartbeatBuffer), so it stays
-- cheap with hundreds of sites heartbeating every few seconds. Typed columns, no jsonb: they are
-- cheaper to write and to filter on. last_heartbeat_at is the cloud's receive time (not the site's
-- clock); the offline detector compares it with its own clock.
CREATE TABLE site_state (
  site_code              TEXT PRIMARY KEY REFERENCES site (code),
  state                  TEXT NOT NULL CHECK (state IN ('ONLINE', 'OFFLINE')),
  state_since            TIMESTAMPTZ NOT NULL,
  last_heartbeat_at      TIMESTAMPTZ NOT NULL,
  heartbeats             BIGINT NOT NULL DEFAULT 0,
  version                TEXT,
  config_version         TEXT,
  started_at             TIMESTAMPTZ,
  uptime_s               BIGINT,
  business_depth         BIGINT NOT NULL DEFAULT 0,
  business_oldest_age_s  BIGINT NOT NULL DEFAULT 0,
  telemetry_depth        BIGINT NOT NULL DEFAULT 0,
  telemetry_oldest_age_s BIGINT NOT NULL DEFAULT 0,
  telemetry_dropped      BIGINT NOT NULL DEFAULT 0,
  last_sync_at           TIMESTAMPTZ,
  rev                    BIGINT NOT NULL DEFAULT 0,
  disk_free_bytes        BIGINT,
  heap_used_bytes        BIGINT,
  rss_bytes              BIGINT,
  certificate_expires    TIMESTAMPTZ,
  sent_at                TIMESTAMPTZ,
  clock_skew_ms          BIGINT,
  drain_place            INTEGER NOT NULL DEFAULT 0,
  drain_eta_s            BIGINT NOT NULL DEFAULT 0
);
-- the offline detector's scan: online sites by last heartbeat
CREATE INDEX site_state_online_by_heartbeat ON site_state (last_heartbeat_at) WHERE state = 'ONLINE';

-- Things that happened to a site as the cloud saw them (ONLINE, OFFLINE; other parts may add
-- kinds). Written once per transition, whichever replica noticed it.
CREATE TABLE site_event (
  id        BIGSERIAL PRIMARY KEY,
  site_code TEXT NOT NULL REFERENCES site (code),
  at        TIMESTAMPTZ NOT NULL,
  kind      TEXT NOT NULL,
  detail    TEXT
);
CREATE INDEX site_event_by_site ON site_event (site_code, id DESC);
