-- Staff recognition: the formula's settings (one row for the organisation) and partial indexes
-- so the monthly evidence queries read only the rows that can count.

CREATE TABLE recognition_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX responses_staff_submitted_idx ON responses (submitted_at)
    WHERE staff_id IS NOT NULL;
CREATE INDEX complaint_transitions_resolved_idx ON complaint_transitions (at, complaint_id)
    WHERE to_status = 'resolved';
CREATE INDEX complaint_promises_settled_idx ON complaint_promises (settled_at)
    WHERE state IN ('kept', 'broken');
