-- Exact reverse of 20250101000002_sample_notes.sql, in reverse order.
drop view public.published_notes;
drop trigger notes_set_updated_at on public.notes;
drop function public.set_updated_at();
drop index public.notebooks_created_at_idx;
alter table public.notebooks drop column note_count;
drop table public.notes;
