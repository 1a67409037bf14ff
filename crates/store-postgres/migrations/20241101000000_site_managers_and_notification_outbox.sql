-- The person with authority at a site (its branch or site manager): told when a promise made
-- at the site is broken, besides the assignee and the global escalation list. Optional.
ALTER TABLE sites ADD COLUMN manager_email TEXT;

-- The escalation outbox becomes the outbox of every notification that must not be lost.
-- A row is either an escalation (rendered at delivery time from the escalation row, as
-- before) or a message rendered when it was queued (the closing email with its survey link),
-- stored as JSON under a unique key so queueing it twice queues it once. The message is
-- erased when the row is marked sent: it can hold a customer's personal survey link.
-- Rows keep their ids, attempts, leases and sent stamps.
ALTER TABLE escalation_outbox RENAME TO notification_outbox;
ALTER INDEX escalation_outbox_pending_idx RENAME TO notification_outbox_pending_idx;
ALTER TABLE notification_outbox ALTER COLUMN escalation_id DROP NOT NULL;
ALTER TABLE notification_outbox ADD COLUMN message_key TEXT UNIQUE;
ALTER TABLE notification_outbox ADD COLUMN message JSONB;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_one_kind
    CHECK ((escalation_id IS NULL) <> (message_key IS NULL));
