-- Updates taken from Telegram, written down before the next getUpdates acknowledges them:
-- a crash between taking a command and handling it no longer loses it (it is handled at the
-- next start). Handled ones are kept a day, so one Telegram delivers again is not re-run.
CREATE TABLE updates (
    id          INTEGER PRIMARY KEY,   -- Telegram's update_id
    body        TEXT    NOT NULL,      -- the update as JSON
    received_at REAL    NOT NULL,
    handled     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX updates_unhandled ON updates (id) WHERE handled = 0;
