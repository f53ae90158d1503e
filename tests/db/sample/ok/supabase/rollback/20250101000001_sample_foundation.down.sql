-- Exact reverse of 20250101000001_sample_foundation.sql (policies, indexes and the comment go with the table).
drop table public.notebooks;
drop type public.note_status;
