-- data.sql: the number of rows in every user table, sorted, one line per table.
-- roundtrip.sh adds this to each catalog snapshot so that a down script which forgets to
-- delete seed rows from a table that survives the rollback is caught too.  Counts only, no
-- contents: seeds may use random keys or now(), and re-applying them must compare equal.
-- Plain SQL (query_to_xml runs the per-table count), so it creates nothing.  Superusers
-- bypass RLS, so the counts are complete.
select line from (
select format('rows %I.%I count=%s', n.nspname, c.relname,
              (xpath('/row/c/text()',
                     query_to_xml(format('select count(*) as c from only %I.%I', n.nspname, c.relname),
                                  false, true, '')))[1]::text) as line
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'r'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
) rows_per_table
order by line collate "C";
