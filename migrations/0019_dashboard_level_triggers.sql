-- The dashboard rollups per org level (dash_complaint_days, dash_gate_org: see dashboard.table.ts) replace the
-- flat ones of 0015: a district-wide year read a row per community, category and day; now it reads its own.
DROP FUNCTION IF EXISTS dash_complaint_put(complaints, int, int[], int);
--> statement-breakpoint
DROP FUNCTION IF EXISTS dash_community_of(int);
--> statement-breakpoint
-- The district a report belongs to: its place's, else its street's. A report with neither (a typed address
-- and no street) belongs to the one district of a deployment (a province deployment would carry it).
CREATE OR REPLACE FUNCTION dash_district_of(place_path text, street int) RETURNS int AS $$
  SELECT coalesce(nullif(split_part(place_path, '/', 2), '')::int,
                  (SELECT nullif(split_part(path, '/', 2), '')::int FROM org_units WHERE id = street),
                  (SELECT min(id) FROM org_units WHERE kind = 'district'))
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- Appends sign × v for the report's district, street (0 = none) and community (when it has one).
CREATE OR REPLACE FUNCTION dash_complaint_put(c complaints, place_path text, v int[], sign int) RETURNS void AS $$
DECLARE
  d int := dash_district_of(place_path, c.street_org_id);
  s int := coalesce(c.street_org_id, 0);
  cm int := coalesce(nullif(split_part(place_path, '/', 4), '')::int, 0);
BEGIN
  IF v[1:10] <> array_fill(0, ARRAY[10]) THEN
    INSERT INTO dash_complaint_days (day, org_id, parent_id, category_id, received, signed, signed_on_time, rectified,
      rectified_on_time, rated, satisfied, returned, returns, plugged)
    SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date, l.o, l.par, c.category_id,
      sign * v[1], sign * v[2], sign * v[3], sign * v[4], sign * v[5], sign * v[6], sign * v[7], sign * v[8], sign * v[9], sign * v[10]
    FROM (VALUES (1, d, 0), (2, s, d), (3, cm, s)) l(lvl, o, par)
    WHERE l.lvl < 3 OR cm > 0;
  END IF;
  IF v[11] <> 0 OR v[12] <> 0 THEN
    INSERT INTO dash_complaint_now (street_id, community_id, category_id, overdue, open)
    VALUES (s, cm, c.category_id, sign * v[11], sign * v[12]);
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_complaint_track() RETURNS trigger AS $$
DECLARE
  op text;
  np text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT path INTO op FROM org_units WHERE id = OLD.place_org_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT path INTO np FROM org_units WHERE id = NEW.place_org_id;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.place_org_id IS NOT DISTINCT FROM NEW.place_org_id AND OLD.street_org_id IS NOT DISTINCT FROM NEW.street_org_id
     AND OLD.category_id = NEW.category_id AND OLD.created_at = NEW.created_at THEN
    -- Same keys (the common case: a status change): one set of rows with the difference.
    PERFORM dash_complaint_put(NEW, np,
      (SELECT array_agg(a - b ORDER BY i) FROM unnest(dash_complaint_vec(NEW), dash_complaint_vec(OLD)) WITH ORDINALITY AS x(a, b, i)), 1);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM dash_complaint_put(OLD, op, dash_complaint_vec(OLD), -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM dash_complaint_put(NEW, np, dash_complaint_vec(NEW), 1);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- gate_daily (per gate) → district, street and community, per hour and per day (with the reason): one insert
-- of six rows on the scan path, no shared row.
CREATE OR REPLACE FUNCTION dash_gate_track() RETURNS trigger AS $$
DECLARE
  r gate_daily;
  dn int;
  p text;
  d int;
  s int;
  cm int;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; dn := -OLD.n;
  ELSIF TG_OP = 'UPDATE' THEN r := NEW; dn := NEW.n - OLD.n;
  ELSE r := NEW; dn := NEW.n;
  END IF;
  IF dn = 0 THEN RETURN NULL; END IF;
  SELECT path INTO p FROM org_units WHERE id = r.compound_id;
  d := coalesce(nullif(split_part(p, '/', 2), '')::int, 0);
  s := coalesce(nullif(split_part(p, '/', 3), '')::int, 0);
  cm := coalesce(nullif(split_part(p, '/', 4), '')::int, 0);
  INSERT INTO dash_gate_org (day, hour, org_id, parent_id, direction, verdict, reason, n)
  VALUES (r.day, r.hour, d, 0, r.direction, r.verdict, '', dn), (r.day, -1, d, 0, r.direction, r.verdict, r.reason, dn),
         (r.day, r.hour, s, d, r.direction, r.verdict, '', dn), (r.day, -1, s, d, r.direction, r.verdict, r.reason, dn),
         (r.day, r.hour, cm, s, r.direction, r.verdict, '', dn), (r.day, -1, cm, s, r.direction, r.verdict, r.reason, dn);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Folds the deltas into one row per key, each table in one statement (one snapshot): a delta committed
-- meanwhile is either folded or left for the next fold, never lost or counted twice.
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
    OR sum(rated) <> 0 OR sum(satisfied) <> 0 OR sum(returned) <> 0 OR sum(returns) <> 0 OR sum(plugged) <> 0;
  WITH gone AS (DELETE FROM dash_complaint_now RETURNING *)
  INSERT INTO dash_complaint_now
  SELECT street_id, community_id, category_id, sum(overdue), sum(open) FROM gone GROUP BY 1, 2, 3 HAVING sum(overdue) <> 0 OR sum(open) <> 0;
  WITH gone AS (DELETE FROM dash_gate_org RETURNING *)
  INSERT INTO dash_gate_org
  SELECT day, hour, org_id, parent_id, direction, verdict, reason, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Recount from the rows: used below, and after a bulk load with triggers off (scripts/bench).
CREATE OR REPLACE FUNCTION dash_complaints_rebuild() RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727201);
  DELETE FROM dash_complaint_days;
  DELETE FROM dash_complaint_now;
  CREATE TEMP TABLE dash_rebuild ON COMMIT DROP AS
  SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, coalesce(c.street_org_id, 0) AS s,
    coalesce(nullif(split_part(p.path, '/', 4), '')::int, 0) AS cm,
    coalesce(nullif(split_part(p.path, '/', 2), '')::int, nullif(split_part(st.path, '/', 2), '')::int, (SELECT min(id) FROM org_units WHERE kind = 'district')) AS d,
    c.category_id, dash_complaint_vec(c) AS v
  FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id LEFT JOIN org_units st ON st.id = c.street_org_id;
  INSERT INTO dash_complaint_days
  SELECT x.day, l.o, l.par, x.category_id, sum(v[1]), sum(v[2]), sum(v[3]), sum(v[4]), sum(v[5]), sum(v[6]), sum(v[7]), sum(v[8]), sum(v[9]), sum(v[10])
  FROM dash_rebuild x CROSS JOIN LATERAL (VALUES (1, x.d, 0), (2, x.s, x.d), (3, x.cm, x.s)) l(lvl, o, par)
  WHERE l.lvl < 3 OR x.cm > 0
  GROUP BY 1, 2, 3, 4;
  INSERT INTO dash_complaint_now
  SELECT s, cm, category_id, sum(v[11]), sum(v[12]) FROM dash_rebuild WHERE v[11] <> 0 OR v[12] <> 0 GROUP BY 1, 2, 3;
  DROP TABLE dash_rebuild;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_gate_rebuild() RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727201);
  DELETE FROM dash_gate_org;
  INSERT INTO dash_gate_org
  SELECT x.day, l.h, l.o, l.par, x.direction, x.verdict, l.reason, sum(x.n)
  FROM (SELECT g.*, coalesce(nullif(split_part(o.path, '/', 2), '')::int, 0) AS d, coalesce(nullif(split_part(o.path, '/', 3), '')::int, 0) AS s,
          coalesce(nullif(split_part(o.path, '/', 4), '')::int, 0) AS cm
        FROM gate_daily g LEFT JOIN org_units o ON o.id = g.compound_id) x
  CROSS JOIN LATERAL (VALUES (x.hour, x.d, 0, ''), (-1::smallint, x.d, 0, x.reason), (x.hour, x.s, x.d, ''), (-1::smallint, x.s, x.d, x.reason),
                             (x.hour, x.cm, x.s, ''), (-1::smallint, x.cm, x.s, x.reason)) l(h, o, par, reason)
  GROUP BY 1, 2, 3, 4, 5, 6, 7;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_rollup_rebuild() RETURNS void AS $$
BEGIN
  PERFORM dash_complaints_rebuild();
  PERFORM dash_gate_rebuild();
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT dash_rollup_rebuild();
