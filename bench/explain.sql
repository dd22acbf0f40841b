-- EXPLAIN (ANALYZE, BUFFERS) of the inbox and search queries as src/modules/cases/listing.ts writes them.
-- Run: psql -h 127.0.0.1 -U postgres baton_bench -v ws="'<workspace uuid>'" -f bench/explain.sql
\echo '== inbox page 1: status=open,pending sort=updated_desc limit=25'
explain (analyze, buffers, costs off)
select c.id, c.number, c.subject, c.status, c.updated_at from cases c
where (c.workspace_id = :ws and c.status = any('{open,pending}'::text[]))
order by c.updated_at desc, c.id desc limit 26;
\echo '== inbox total estimate (capped count)'
explain (analyze, buffers, costs off)
select count(*)::int as n from (select 1 from cases c where (c.workspace_id = :ws and c.status = any('{open,pending}'::text[])) limit 1000) capped;
\echo '== search: q=invoice refund, status=open (listCases with q)'
explain (analyze, buffers, costs off)
select c.id, c.number, c.subject, c.updated_at from cases c
where (c.workspace_id = :ws and c.status = any('{open}'::text[]) and c.id in (
  select s.id from cases s where s.workspace_id = :ws and s.search_vector @@ websearch_to_tsquery('simple', 'invoice refund')
  union
  select m.case_id from messages m where m.workspace_id = :ws and m.search_vector @@ websearch_to_tsquery('simple', 'invoice refund')))
order by c.updated_at desc, c.id desc limit 11;
\echo '== search total estimate (capped count)'
explain (analyze, buffers, costs off)
select count(*)::int as n from (select 1 from cases c
where (c.workspace_id = :ws and c.status = any('{open}'::text[]) and c.id in (
  select s.id from cases s where s.workspace_id = :ws and s.search_vector @@ websearch_to_tsquery('simple', 'invoice refund')
  union
  select m.case_id from messages m where m.workspace_id = :ws and m.search_vector @@ websearch_to_tsquery('simple', 'invoice refund'))) limit 1000) capped;
