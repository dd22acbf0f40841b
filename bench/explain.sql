-- EXPLAIN (ANALYZE, BUFFERS) of the inbox and search queries as src/modules/cases/listing.ts writes them.
-- Run: psql -h 127.0.0.1 -U postgres baton_bench -v ws="'<workspace uuid>'" -f bench/explain.sql
-- Baton's sessions run without JIT (src/db/database.ts).
set jit = off;
\echo '== inbox page 1: status=open,pending sort=updated_desc limit=25'
explain (analyze, buffers, costs off)
select c.id, c.number, c.subject, c.status, c.updated_at from cases c
where (c.workspace_id = :ws and c.status = any('{open,pending}'::text[]))
order by c.updated_at desc, c.id desc limit 26;
\echo '== inbox total estimate (capped count)'
explain (analyze, buffers, costs off)
select count(*)::int as n from (select 1 from cases c where (c.workspace_id = :ws and c.status = any('{open,pending}'::text[])) limit 1000) capped;
\echo '== search, first step: q=invoice refund, status=open, within the 1000 most recent open cases (listing.ts textHit)'
explain (analyze, buffers, costs off)
select c.id, c.number, c.subject, c.updated_at
from (select c.* from cases c where (c.workspace_id = :ws and c.status = 'open')
  order by c.updated_at desc, c.id desc limit 1000) c
left join lateral (
  select true as hit from messages m
  where m.case_id = c.id and m.workspace_id = c.workspace_id
    and ts_match_vq(m.search_vector, websearch_to_tsquery('simple', 'invoice refund'))
  limit 1) text_hit on true
where (c.search_vector @@ websearch_to_tsquery('simple', 'invoice refund') or text_hit.hit is not null)
order by c.updated_at desc, c.id desc limit 26;
\echo '== search, first step with no match in the window: q=facture remboursement'
explain (analyze, buffers, costs off)
select c.id
from (select c.* from cases c where (c.workspace_id = :ws and c.status = 'open')
  order by c.updated_at desc, c.id desc limit 1000) c
left join lateral (
  select true as hit from messages m
  where m.case_id = c.id and m.workspace_id = c.workspace_id
    and ts_match_vq(m.search_vector, websearch_to_tsquery('simple', 'facture remboursement'))
  limit 1) text_hit on true
where (c.search_vector @@ websearch_to_tsquery('simple', 'facture remboursement') or text_hit.hit is not null)
order by c.updated_at desc, c.id desc limit 26;
\echo '== search, second step (only when the window holds less than a page): q=facture remboursement over the GIN indexes'
explain (analyze, buffers, costs off)
select c.id, c.number, c.subject, c.updated_at from cases c
where (c.workspace_id = :ws and c.status = 'open' and c.id in (
  select s.id from cases s where s.workspace_id = :ws and s.search_vector @@ websearch_to_tsquery('simple', 'facture remboursement')
  union
  select m.case_id from messages m where m.workspace_id = :ws and m.search_vector @@ websearch_to_tsquery('simple', 'facture remboursement')))
order by c.updated_at desc, c.id desc limit 26;
