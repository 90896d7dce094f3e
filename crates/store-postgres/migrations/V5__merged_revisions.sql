-- A save based on an older revision is merged three ways into the newest one; the revision it
-- makes records the older revision it was merged from, its second parent (the first is always
-- the revision before it).
ALTER TABLE revisions ADD COLUMN merged_from integer;
