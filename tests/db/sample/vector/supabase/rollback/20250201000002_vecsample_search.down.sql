drop function public.search_chunks(vector, integer);
