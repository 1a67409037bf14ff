-- Complaints imported from another system keep that system's id, so importing the same file
-- again recognises every case instead of registering it twice. Cases registered in
-- Touchpoint have none.
ALTER TABLE complaints ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX complaints_external_id_idx ON complaints (external_id)
    WHERE external_id IS NOT NULL;

-- The survey a policy's customers are invited to when their complaint is closed
-- (satisfaction with the resolution); none by default.
ALTER TABLE response_policies ADD COLUMN resolution_survey_key TEXT;
