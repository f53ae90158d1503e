-- DELIBERATELY WRONG (negative self-test of tests/db/roundtrip.sh): this rollback forgets
-- `drop index public.notebooks_created_at_idx;`, so the index outlives the rollback on a
-- table that survives it.  roundtrip.sh must notice and fail.
drop view public.published_notes;
drop trigger notes_set_updated_at on public.notes;
drop function public.set_updated_at();
alter table public.notebooks drop column note_count;
drop table public.notes;
