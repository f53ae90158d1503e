drop table public.chunks;
drop extension vector;
