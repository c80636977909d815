ALTER TABLE "dash_complaint_days" ADD COLUMN "folded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dash_complaint_now" ADD COLUMN "folded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dash_gate_org" ADD COLUMN "folded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "dash_complaint_days_folded_uq" ON "dash_complaint_days" USING btree ("day","org_id","parent_id","category_id") WHERE folded;--> statement-breakpoint
CREATE INDEX "dash_complaint_days_deltas_idx" ON "dash_complaint_days" USING btree ("day") WHERE NOT folded;--> statement-breakpoint
CREATE UNIQUE INDEX "dash_complaint_now_folded_uq" ON "dash_complaint_now" USING btree ("street_id","community_id","category_id") WHERE folded;--> statement-breakpoint
CREATE UNIQUE INDEX "dash_gate_org_folded_uq" ON "dash_gate_org" USING btree ("day","hour","org_id","parent_id","direction","verdict","reason") WHERE folded;--> statement-breakpoint
CREATE INDEX "dash_gate_org_deltas_idx" ON "dash_gate_org" USING btree ("day") WHERE NOT folded;--> statement-breakpoint
-- Folding moves only the deltas written since the last fold into the one folded row of their key, so a fold
-- costs what was written in those five minutes, not a rewrite of every rollup row (millions for a year of gate
-- hours). A delta committed during a fold is not in its snapshot and waits for the next one.
CREATE OR REPLACE FUNCTION dash_rollup_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727201) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM dash_complaint_days WHERE NOT folded RETURNING *)
  INSERT INTO dash_complaint_days AS t (day, org_id, parent_id, category_id, received, signed, signed_on_time, rectified,
    rectified_on_time, rated, satisfied, returned, returns, plugged, folded)
  SELECT day, org_id, parent_id, category_id, sum(received), sum(signed), sum(signed_on_time), sum(rectified), sum(rectified_on_time),
    sum(rated), sum(satisfied), sum(returned), sum(returns), sum(plugged), true
  FROM gone GROUP BY 1, 2, 3, 4
  ON CONFLICT (day, org_id, parent_id, category_id) WHERE folded DO UPDATE SET
    received = t.received + excluded.received, signed = t.signed + excluded.signed, signed_on_time = t.signed_on_time + excluded.signed_on_time,
    rectified = t.rectified + excluded.rectified, rectified_on_time = t.rectified_on_time + excluded.rectified_on_time,
    rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied, returned = t.returned + excluded.returned,
    returns = t.returns + excluded.returns, plugged = t.plugged + excluded.plugged;
  WITH gone AS (DELETE FROM dash_complaint_now WHERE NOT folded RETURNING *)
  INSERT INTO dash_complaint_now AS t (street_id, community_id, category_id, overdue, open, folded)
  SELECT street_id, community_id, category_id, sum(overdue), sum(open), true FROM gone GROUP BY 1, 2, 3
  ON CONFLICT (street_id, community_id, category_id) WHERE folded DO UPDATE SET overdue = t.overdue + excluded.overdue, open = t.open + excluded.open;
  WITH gone AS (DELETE FROM dash_gate_org WHERE NOT folded RETURNING *)
  INSERT INTO dash_gate_org AS t (day, hour, org_id, parent_id, direction, verdict, reason, n, folded)
  SELECT day, hour, org_id, parent_id, direction, verdict, reason, sum(n), true FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (day, hour, org_id, parent_id, direction, verdict, reason) WHERE folded DO UPDATE SET n = t.n + excluded.n;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
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
  INSERT INTO dash_complaint_days (day, org_id, parent_id, category_id, received, signed, signed_on_time, rectified,
    rectified_on_time, rated, satisfied, returned, returns, plugged, folded)
  SELECT x.day, l.o, l.par, k.cat, sum(v[1]), sum(v[2]), sum(v[3]), sum(v[4]), sum(v[5]), sum(v[6]), sum(v[7]), sum(v[8]), sum(v[9]), sum(v[10]), true
  FROM dash_rebuild x CROSS JOIN LATERAL (VALUES (1, x.d, 0), (2, x.s, x.d), (3, x.cm, x.s)) l(lvl, o, par)
  CROSS JOIN LATERAL (VALUES (x.category_id), (0)) k(cat)
  WHERE l.lvl < 3 OR x.cm > 0
  GROUP BY 1, 2, 3, 4
  ORDER BY 2, 4, 1;
  INSERT INTO dash_complaint_now (street_id, community_id, category_id, overdue, open, folded)
  SELECT s, cm, category_id, sum(v[11]), sum(v[12]), true FROM dash_rebuild WHERE v[11] <> 0 OR v[12] <> 0 GROUP BY 1, 2, 3;
  DROP TABLE dash_rebuild;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dash_gate_rebuild() RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727201);
  DELETE FROM dash_gate_org;
  INSERT INTO dash_gate_org (day, hour, org_id, parent_id, direction, verdict, reason, n, folded)
  SELECT x.day, l.h, l.o, l.par, x.direction, x.verdict, l.reason, sum(x.n), true
  FROM (SELECT g.*, coalesce(nullif(split_part(o.path, '/', 2), '')::int, 0) AS d, coalesce(nullif(split_part(o.path, '/', 3), '')::int, 0) AS s,
          coalesce(nullif(split_part(o.path, '/', 4), '')::int, 0) AS cm
        FROM gate_daily g LEFT JOIN org_units o ON o.id = g.compound_id) x
  CROSS JOIN LATERAL (VALUES (x.hour, x.d, 0, ''), (-1::smallint, x.d, 0, x.reason), (x.hour, x.s, x.d, ''), (-1::smallint, x.s, x.d, x.reason),
                             (x.hour, x.cm, x.s, ''), (-1::smallint, x.cm, x.s, x.reason)) l(h, o, par, reason)
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 3, 1, 2;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT dash_rollup_rebuild();
