-- Complaints imported from another system keep that system's id, so importing the same file
-- again recognises every case instead of registering it twice. Cases registered in
-- Touchpoint have none.
ALTER TABLE complaints ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX complaints_external_id_idx ON complaints (external_id)
    WHERE external_id IS NOT NULL;

-- The survey a policy's customers are invited to when their complaint is closed
-- (satisfaction with the resolution); none by default.
ALTER TABLE response_policies ADD COLUMN resolution_survey_key TEXT;

-- Escalation notifications to deliver: written in the claim's transaction, so a crash between
-- claiming a broken promise and telling people about it no longer loses the notification. A
-- node leases a row while it delivers it and stamps sent_at when done; an expired lease
-- (the node died) lets another node deliver it again (at least once, up to 5 attempts).
CREATE TABLE escalation_outbox (
    id            INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL UNIQUE REFERENCES complaint_escalations (id),
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    leased_until  TEXT,
    leased_by     TEXT,
    sent_at       TEXT
);
CREATE INDEX escalation_outbox_pending_idx ON escalation_outbox (id) WHERE sent_at IS NULL;
