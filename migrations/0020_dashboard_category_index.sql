DROP INDEX "dash_complaint_days_org_idx";--> statement-breakpoint
DROP INDEX "dash_complaint_days_parent_idx";--> statement-breakpoint
CREATE INDEX "dash_complaint_days_org_cat_idx" ON "dash_complaint_days" USING btree ("org_id","category_id","day");--> statement-breakpoint
CREATE INDEX "dash_complaint_days_parent_cat_idx" ON "dash_complaint_days" USING btree ("parent_id","category_id","day");--> statement-breakpoint
-- Every level row also under category 0 (all categories): totals, days and children read one row per org
-- and day; only the per-category table reads the category rows.
CREATE OR REPLACE FUNCTION dash_complaint_put(c complaints, place_path text, v int[], sign int) RETURNS void AS $$
DECLARE
  d int := dash_district_of(place_path, c.street_org_id);
  s int := coalesce(c.street_org_id, 0);
  cm int := coalesce(nullif(split_part(place_path, '/', 4), '')::int, 0);
BEGIN
  IF v[1:10] <> array_fill(0, ARRAY[10]) THEN
    INSERT INTO dash_complaint_days (day, org_id, parent_id, category_id, received, signed, signed_on_time, rectified,
      rectified_on_time, rated, satisfied, returned, returns, plugged)
    SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date, l.o, l.par, k.cat,
      sign * v[1], sign * v[2], sign * v[3], sign * v[4], sign * v[5], sign * v[6], sign * v[7], sign * v[8], sign * v[9], sign * v[10]
    FROM (VALUES (1, d, 0), (2, s, d), (3, cm, s)) l(lvl, o, par), (VALUES (c.category_id), (0)) k(cat)
    WHERE l.lvl < 3 OR cm > 0;
  END IF;
  IF v[11] <> 0 OR v[12] <> 0 THEN
    INSERT INTO dash_complaint_now (street_id, community_id, category_id, overdue, open)
    VALUES (s, cm, c.category_id, sign * v[11], sign * v[12]);
  END IF;
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
  INSERT INTO dash_complaint_days
  SELECT x.day, l.o, l.par, k.cat, sum(v[1]), sum(v[2]), sum(v[3]), sum(v[4]), sum(v[5]), sum(v[6]), sum(v[7]), sum(v[8]), sum(v[9]), sum(v[10])
  FROM dash_rebuild x CROSS JOIN LATERAL (VALUES (1, x.d, 0), (2, x.s, x.d), (3, x.cm, x.s)) l(lvl, o, par)
  CROSS JOIN LATERAL (VALUES (x.category_id), (0)) k(cat)
  WHERE l.lvl < 3 OR x.cm > 0
  GROUP BY 1, 2, 3, 4;
  INSERT INTO dash_complaint_now
  SELECT s, cm, category_id, sum(v[11]), sum(v[12]) FROM dash_rebuild WHERE v[11] <> 0 OR v[12] <> 0 GROUP BY 1, 2, 3;
  DROP TABLE dash_rebuild;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT dash_complaints_rebuild();
