-- A street's or community's denied checks, newest first: per compound, flagged checks only (a few per cent
-- of all, so the scan path of a pass pays nothing).
CREATE INDEX IF NOT EXISTS gate_checks_flagged_compound_idx ON gate_checks (compound_id, checked_at) WHERE verdict <> 'pass';
--> statement-breakpoint
-- Folding writes each key's row in index order, so a scope's year is a few adjacent pages, not a page per row.
CREATE OR REPLACE FUNCTION dash_rollup_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727201) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM dash_complaint_days RETURNING *)
  INSERT INTO dash_complaint_days
  SELECT day, org_id, parent_id, category_id, sum(received), sum(signed), sum(signed_on_time), sum(rectified), sum(rectified_on_time),
    sum(rated), sum(satisfied), sum(returned), sum(returns), sum(plugged)
  FROM gone GROUP BY 1, 2, 3, 4
  HAVING sum(received) <> 0 OR sum(signed) <> 0 OR sum(signed_on_time) <> 0 OR sum(rectified) <> 0 OR sum(rectified_on_time) <> 0
    OR sum(rated) <> 0 OR sum(satisfied) <> 0 OR sum(returned) <> 0 OR sum(returns) <> 0 OR sum(plugged) <> 0
  ORDER BY org_id, category_id, day;
  WITH gone AS (DELETE FROM dash_complaint_now RETURNING *)
  INSERT INTO dash_complaint_now
  SELECT street_id, community_id, category_id, sum(overdue), sum(open) FROM gone GROUP BY 1, 2, 3 HAVING sum(overdue) <> 0 OR sum(open) <> 0;
  WITH gone AS (DELETE FROM dash_gate_org RETURNING *)
  INSERT INTO dash_gate_org
  SELECT day, hour, org_id, parent_id, direction, verdict, reason, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
  ORDER BY org_id, day, hour;
END;
$$ LANGUAGE plpgsql;
