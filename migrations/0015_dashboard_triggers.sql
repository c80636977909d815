-- Dashboard rollups (see server/src/modules/dashboard/dashboard.table.ts): deltas appended by the writer's
-- transaction, folded by dash_rollup_compact(), rebuilt from the rows by dash_rollup_rebuild().
--
-- A report's numbers as a vector: received, signed, signed_on_time, rectified, rectified_on_time, rated,
-- satisfied, returned, returns, plugged | overdue now, open now. The lists of the drill-down use the same
-- predicates (server/src/modules/dashboard/dashboard.metrics.ts): change both together.
CREATE OR REPLACE FUNCTION dash_complaint_vec(c complaints) RETURNS int[] AS $$
  SELECT ARRAY[
    (c.status NOT IN ('rejected', 'merged'))::int,
    (c.signed_at IS NOT NULL)::int,
    coalesce(c.signed_at <= c.sign_due_at, false)::int,
    (c.rectified_at IS NOT NULL)::int,
    (c.rectified_on_time IS TRUE)::int,
    (c.rating IS NOT NULL)::int,
    (c.rating IS NOT DISTINCT FROM 'satisfied')::int,
    (c.returns > 0)::int,
    c.returns::int,
    (c.status IN ('verified', 'published', 'closed'))::int,
    ((c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed'))::int,
    (c.status IN ('submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened'))::int
  ]
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
-- The community a place lies in (0 when none): the third id of its path /district/street/community/….
CREATE OR REPLACE FUNCTION dash_community_of(place int) RETURNS int AS $$
  SELECT coalesce((SELECT nullif(split_part(path, '/', 4), '')::int FROM org_units WHERE id = place), 0)
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_complaint_put(c complaints, community int, v int[], sign int) RETURNS void AS $$
BEGIN
  IF v[1:10] <> array_fill(0, ARRAY[10]) THEN
    INSERT INTO dash_complaint_daily (day, street_id, community_id, category_id, received, signed, signed_on_time, rectified,
      rectified_on_time, rated, satisfied, returned, returns, plugged)
    VALUES ((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(c.street_org_id, 0), community, c.category_id,
      sign * v[1], sign * v[2], sign * v[3], sign * v[4], sign * v[5], sign * v[6], sign * v[7], sign * v[8], sign * v[9], sign * v[10]);
  END IF;
  IF v[11] <> 0 OR v[12] <> 0 THEN
    INSERT INTO dash_complaint_now (street_id, community_id, category_id, overdue, open)
    VALUES (coalesce(c.street_org_id, 0), community, c.category_id, sign * v[11], sign * v[12]);
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_complaint_track() RETURNS trigger AS $$
DECLARE
  oc int;
  nc int;
  ov int[];
  nv int[];
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.place_org_id IS NOT DISTINCT FROM NEW.place_org_id AND OLD.street_org_id IS NOT DISTINCT FROM NEW.street_org_id
     AND OLD.category_id = NEW.category_id AND OLD.created_at = NEW.created_at THEN
    -- Same key (the common case: a status change): one row with the difference.
    ov := dash_complaint_vec(OLD);
    nv := dash_complaint_vec(NEW);
    PERFORM dash_complaint_put(NEW, dash_community_of(NEW.place_org_id), (SELECT array_agg(a - b ORDER BY i) FROM unnest(nv, ov) WITH ORDINALITY AS x(a, b, i)), 1);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM dash_complaint_put(OLD, dash_community_of(OLD.place_org_id), dash_complaint_vec(OLD), -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM dash_complaint_put(NEW, dash_community_of(NEW.place_org_id), dash_complaint_vec(NEW), 1);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER complaints_dash_insert_delete AFTER INSERT OR DELETE ON complaints
  FOR EACH ROW EXECUTE FUNCTION dash_complaint_track();
--> statement-breakpoint
CREATE TRIGGER complaints_dash_update AFTER UPDATE ON complaints
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.signed_at IS DISTINCT FROM NEW.signed_at
    OR OLD.sign_due_at IS DISTINCT FROM NEW.sign_due_at
    OR OLD.rectified_at IS DISTINCT FROM NEW.rectified_at
    OR OLD.rectified_on_time IS DISTINCT FROM NEW.rectified_on_time
    OR OLD.rating IS DISTINCT FROM NEW.rating
    OR OLD.returns IS DISTINCT FROM NEW.returns
    OR OLD.sign_overdue IS DISTINCT FROM NEW.sign_overdue
    OR OLD.rectify_overdue IS DISTINCT FROM NEW.rectify_overdue
    OR OLD.place_org_id IS DISTINCT FROM NEW.place_org_id
    OR OLD.street_org_id IS DISTINCT FROM NEW.street_org_id
    OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION dash_complaint_track();
--> statement-breakpoint
-- gate_daily (per gate) → community and hour. gate_daily rows are upserted by the check's own trigger (and by
-- bulk loads): the difference in n is appended, so the scan path adds one small insert and no shared row.
CREATE OR REPLACE FUNCTION dash_gate_track() RETURNS trigger AS $$
DECLARE
  r gate_daily;
  d int;
  p text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; d := -OLD.n;
  ELSIF TG_OP = 'UPDATE' THEN r := NEW; d := NEW.n - OLD.n;
  ELSE r := NEW; d := NEW.n;
  END IF;
  IF d = 0 THEN RETURN NULL; END IF;
  SELECT path INTO p FROM org_units WHERE id = r.compound_id;
  INSERT INTO dash_gate_hourly (day, hour, street_id, community_id, direction, verdict, reason, n)
  VALUES (r.day, r.hour, coalesce(nullif(split_part(p, '/', 3), '')::int, 0), coalesce(nullif(split_part(p, '/', 4), '')::int, 0),
    r.direction, r.verdict, r.reason, d);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER gate_daily_dash AFTER INSERT OR UPDATE OR DELETE ON gate_daily
  FOR EACH ROW EXECUTE FUNCTION dash_gate_track();
--> statement-breakpoint
-- Folds the deltas into one row per key, each table in one statement (one snapshot): a delta committed
-- meanwhile is either folded or left for the next fold, never lost or counted twice.
CREATE OR REPLACE FUNCTION dash_rollup_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727201) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM dash_complaint_daily RETURNING *)
  INSERT INTO dash_complaint_daily
  SELECT day, street_id, community_id, category_id, sum(received), sum(signed), sum(signed_on_time), sum(rectified), sum(rectified_on_time),
    sum(rated), sum(satisfied), sum(returned), sum(returns), sum(plugged)
  FROM gone GROUP BY 1, 2, 3, 4
  HAVING sum(received) <> 0 OR sum(signed) <> 0 OR sum(signed_on_time) <> 0 OR sum(rectified) <> 0 OR sum(rectified_on_time) <> 0
    OR sum(rated) <> 0 OR sum(satisfied) <> 0 OR sum(returned) <> 0 OR sum(returns) <> 0 OR sum(plugged) <> 0;
  WITH gone AS (DELETE FROM dash_complaint_now RETURNING *)
  INSERT INTO dash_complaint_now
  SELECT street_id, community_id, category_id, sum(overdue), sum(open) FROM gone GROUP BY 1, 2, 3 HAVING sum(overdue) <> 0 OR sum(open) <> 0;
  WITH gone AS (DELETE FROM dash_gate_hourly RETURNING *)
  INSERT INTO dash_gate_hourly
  SELECT day, hour, street_id, community_id, direction, verdict, reason, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Recounts everything from the rows: used below, and after a bulk load with triggers off (scripts/bench).
CREATE OR REPLACE FUNCTION dash_rollup_rebuild() RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727201);
  DELETE FROM dash_complaint_daily;
  DELETE FROM dash_complaint_now;
  DELETE FROM dash_gate_hourly;
  INSERT INTO dash_complaint_daily
  SELECT day, street, community, category_id, sum(v[1]), sum(v[2]), sum(v[3]), sum(v[4]), sum(v[5]), sum(v[6]), sum(v[7]), sum(v[8]), sum(v[9]), sum(v[10])
  FROM (SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(c.street_org_id, 0) AS street,
          coalesce(nullif(split_part(p.path, '/', 4), '')::int, 0) AS community, c.category_id, dash_complaint_vec(c) AS v
        FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id) x
  GROUP BY 1, 2, 3, 4;
  INSERT INTO dash_complaint_now
  SELECT street, community, category_id, sum(v[11]), sum(v[12])
  FROM (SELECT coalesce(c.street_org_id, 0) AS street, coalesce(nullif(split_part(p.path, '/', 4), '')::int, 0) AS community, c.category_id,
          dash_complaint_vec(c) AS v
        FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id
        WHERE c.status IN ('submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened')) x
  GROUP BY 1, 2, 3 HAVING sum(v[11]) <> 0 OR sum(v[12]) <> 0;
  INSERT INTO dash_gate_hourly
  SELECT g.day, g.hour, coalesce(nullif(split_part(o.path, '/', 3), '')::int, 0), coalesce(nullif(split_part(o.path, '/', 4), '')::int, 0),
    g.direction, g.verdict, g.reason, sum(g.n)
  FROM gate_daily g LEFT JOIN org_units o ON o.id = g.compound_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT dash_rollup_rebuild();
--> statement-breakpoint
-- The drill-down lists: reports filed in a range of days (keyset on created_at, id), and a day's denied or
-- registered checks (a few per cent of all checks: a partial index, paid only by those inserts).
CREATE INDEX IF NOT EXISTS complaints_created_idx ON complaints (created_at, id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS gate_checks_flagged_time_idx ON gate_checks (checked_at) WHERE verdict <> 'pass';
