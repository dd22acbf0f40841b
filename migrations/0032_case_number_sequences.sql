-- Case numbers come from one PostgreSQL sequence per workspace (case_numbers_<workspace id hex>)
-- instead of a counter row. The row was locked from a case's number until its transaction
-- committed, so every case creation of a workspace waited for the one before it; nextval() never
-- waits. A rolled-back creation leaves a gap in the numbers (a case number identifies a case, it
-- is not an accounting sequence). The sequences are created on first use by the cases module
-- (src/modules/cases/case-numbers.ts); this migration carries the existing counters over.
DO $$
DECLARE
  counter record;
BEGIN
  FOR counter IN SELECT workspace_id, next_number FROM case_number_counters LOOP
    EXECUTE format(
      'CREATE SEQUENCE IF NOT EXISTS %I AS integer START WITH %s MINVALUE 1',
      'case_numbers_' || replace(counter.workspace_id::text, '-', ''),
      greatest(counter.next_number, 1001)
    );
  END LOOP;
END
$$;

DROP TABLE case_number_counters;
