-- The fold also drops the folded rows its deltas bring back to zero (a report rejected or deleted, a bucket
-- left): they add nothing to any sum. Only the days this fold touched are looked at, through the folded
-- unique index that starts with the day, so a fold still costs what was written since the last one.
CREATE OR REPLACE FUNCTION dash_rollup_compact() RETURNS void AS $$
DECLARE
  touched date[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(727201) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM dash_complaint_days WHERE NOT folded RETURNING *),
  up AS (
    INSERT INTO dash_complaint_days AS t (day, org_id, parent_id, category_id, received, signed, signed_on_time, rectified,
      rectified_on_time, rated, satisfied, returned, returns, plugged, folded)
    SELECT day, org_id, parent_id, category_id, sum(received), sum(signed), sum(signed_on_time), sum(rectified), sum(rectified_on_time),
      sum(rated), sum(satisfied), sum(returned), sum(returns), sum(plugged), true
    FROM gone GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, org_id, parent_id, category_id) WHERE folded DO UPDATE SET
      received = t.received + excluded.received, signed = t.signed + excluded.signed, signed_on_time = t.signed_on_time + excluded.signed_on_time,
      rectified = t.rectified + excluded.rectified, rectified_on_time = t.rectified_on_time + excluded.rectified_on_time,
      rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied, returned = t.returned + excluded.returned,
      returns = t.returns + excluded.returns, plugged = t.plugged + excluded.plugged
    RETURNING t.day)
  SELECT array_agg(DISTINCT day) INTO touched FROM up;
  IF touched IS NOT NULL THEN
    DELETE FROM dash_complaint_days WHERE folded AND day = ANY (touched)
      AND received = 0 AND signed = 0 AND signed_on_time = 0 AND rectified = 0 AND rectified_on_time = 0
      AND rated = 0 AND satisfied = 0 AND returned = 0 AND returns = 0 AND plugged = 0;
  END IF;

  WITH gone AS (DELETE FROM dash_complaint_now WHERE NOT folded RETURNING *)
  INSERT INTO dash_complaint_now AS t (street_id, community_id, category_id, overdue, open, folded)
  SELECT street_id, community_id, category_id, sum(overdue), sum(open), true FROM gone GROUP BY 1, 2, 3
  ON CONFLICT (street_id, community_id, category_id) WHERE folded DO UPDATE SET overdue = t.overdue + excluded.overdue, open = t.open + excluded.open;
  -- One row per street, community and category at most: small enough to sweep whole.
  DELETE FROM dash_complaint_now WHERE folded AND overdue = 0 AND open = 0;

  WITH gone AS (DELETE FROM dash_gate_org WHERE NOT folded RETURNING *),
  up AS (
    INSERT INTO dash_gate_org AS t (day, hour, org_id, parent_id, direction, verdict, reason, n, folded)
    SELECT day, hour, org_id, parent_id, direction, verdict, reason, sum(n), true FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (day, hour, org_id, parent_id, direction, verdict, reason) WHERE folded DO UPDATE SET n = t.n + excluded.n
    RETURNING t.day)
  SELECT array_agg(DISTINCT day) INTO touched FROM up;
  IF touched IS NOT NULL THEN
    DELETE FROM dash_gate_org WHERE folded AND day = ANY (touched) AND n = 0;
  END IF;
END;
$$ LANGUAGE plpgsql;
