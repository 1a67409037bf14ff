-- The person with authority at a site (its branch or site manager): told when a promise made
-- at the site is broken, besides the assignee and the global escalation list. Optional.
ALTER TABLE sites ADD COLUMN manager_email TEXT;

-- The escalation outbox becomes the outbox of every notification that must not be lost.
-- A row is either an escalation (rendered at delivery time from the escalation row, as
-- before) or a message rendered when it was queued (the closing email with its survey link),
-- stored as JSON under a unique key so queueing it twice queues it once. The message is
-- erased when the row is marked sent: it can hold a customer's personal survey link.
-- SQLite cannot relax escalation_id's NOT NULL in place, so the table is rebuilt; rows keep
-- their ids, attempts, leases and sent stamps.
CREATE TABLE notification_outbox (
    id            INTEGER PRIMARY KEY,
    escalation_id INTEGER UNIQUE REFERENCES complaint_escalations (id),
    message_key   TEXT UNIQUE,
    message       TEXT,
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    leased_until  TEXT,
    leased_by     TEXT,
    sent_at       TEXT,
    CHECK ((escalation_id IS NULL) <> (message_key IS NULL))
);
INSERT INTO notification_outbox
    (id, escalation_id, created_at, attempts, leased_until, leased_by, sent_at)
SELECT id, escalation_id, created_at, attempts, leased_until, leased_by, sent_at
FROM escalation_outbox;
DROP TABLE escalation_outbox;
CREATE INDEX notification_outbox_pending_idx ON notification_outbox (id) WHERE sent_at IS NULL;
