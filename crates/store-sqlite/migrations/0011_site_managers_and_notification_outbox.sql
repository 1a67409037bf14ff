-- The person with authority at a site (its branch or site manager): told when a promise made
-- at the site is broken, besides the assignee and the global escalation list. Optional.
ALTER TABLE sites ADD COLUMN manager_email TEXT;
