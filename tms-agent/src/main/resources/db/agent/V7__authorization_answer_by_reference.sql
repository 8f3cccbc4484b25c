-- The answer to an authorization is its decision, already kept in driver_authorization.decision_json:
-- the idempotency record of an authorization now names it instead of holding a second copy
-- (response_json is then empty), as a completion's names its BOL since V5. Records written before
-- this migration keep their copy and are answered from it.
ALTER TABLE idempotency ADD COLUMN authorization_id TEXT;
