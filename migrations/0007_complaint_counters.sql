-- A unit's task list filters on the assignee's org path without joining org_units: the path is copied
-- onto the report whenever its assignee changes (org units never move, so the copy cannot go stale).
CREATE OR REPLACE FUNCTION complaints_assignee_path() RETURNS trigger AS $$
BEGIN
  IF NEW.assignee_org_id IS NULL THEN
    NEW.assignee_path := NULL;
  ELSE
    SELECT path INTO NEW.assignee_path FROM org_units WHERE id = NEW.assignee_org_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER complaints_assignee_path BEFORE INSERT OR UPDATE OF assignee_org_id, assignee_path ON complaints
  FOR EACH ROW WHEN (NEW.assignee_org_id IS NOT NULL OR NEW.assignee_path IS NOT NULL)
  EXECUTE FUNCTION complaints_assignee_path();
--> statement-breakpoint
UPDATE complaints c SET assignee_path = o.path FROM org_units o WHERE o.id = c.assignee_org_id;
--> statement-breakpoint
-- The district's home numbers. Every change of a report's bucket (status, overdue, pending request, rating,
-- on time) appends -1 for the bucket it leaves and +1 for the one it enters, in the writer's transaction, so
-- the numbers are exact at every commit and no writer waits on a shared counter row.
CREATE OR REPLACE FUNCTION complaint_counters_track() RETURNS trigger AS $$
DECLARE
  thrown_out CONSTANT complaint_status[] := ARRAY['rejected', 'merged']::complaint_status[];
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO complaint_counters (status, overdue, pending, rating, on_time, n)
    VALUES (OLD.status, OLD.sign_overdue OR OLD.rectify_overdue, OLD.pending_request IS NOT NULL, OLD.rating, OLD.rectified_on_time, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO complaint_counters (status, overdue, pending, rating, on_time, n)
    VALUES (NEW.status, NEW.sign_overdue OR NEW.rectify_overdue, NEW.pending_request IS NOT NULL, NEW.rating, NEW.rectified_on_time, 1);
  END IF;
  -- 今日受理: reports filed that Beijing day, less those later rejected or merged (booked to their filing day).
  IF TG_OP = 'INSERT' AND NOT NEW.status = ANY (thrown_out) THEN
    INSERT INTO complaint_daily_counts (day, kind, n) VALUES ((NEW.created_at AT TIME ZONE 'Asia/Shanghai')::date, 'received', 1);
  ELSIF TG_OP = 'DELETE' AND NOT OLD.status = ANY (thrown_out) THEN
    INSERT INTO complaint_daily_counts (day, kind, n) VALUES ((OLD.created_at AT TIME ZONE 'Asia/Shanghai')::date, 'received', -1);
  ELSIF TG_OP = 'UPDATE' THEN
    IF (OLD.status = ANY (thrown_out)) <> (NEW.status = ANY (thrown_out)) THEN
      INSERT INTO complaint_daily_counts (day, kind, n)
      VALUES ((OLD.created_at AT TIME ZONE 'Asia/Shanghai')::date, 'received', CASE WHEN NEW.status = ANY (thrown_out) THEN -1 ELSE 1 END);
    END IF;
    IF OLD.status = 'submitted' AND NEW.status = 'accepted' THEN
      INSERT INTO complaint_daily_counts (day, kind, n) VALUES ((now() AT TIME ZONE 'Asia/Shanghai')::date, 'accepted', 1);
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER complaints_counters_insert_delete AFTER INSERT OR DELETE ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaint_counters_track();
--> statement-breakpoint
CREATE TRIGGER complaints_counters_update AFTER UPDATE ON complaints
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR (OLD.sign_overdue OR OLD.rectify_overdue) IS DISTINCT FROM (NEW.sign_overdue OR NEW.rectify_overdue)
    OR (OLD.pending_request IS NULL) <> (NEW.pending_request IS NULL)
    OR OLD.rating IS DISTINCT FROM NEW.rating
    OR OLD.rectified_on_time IS DISTINCT FROM NEW.rectified_on_time)
  EXECUTE FUNCTION complaint_counters_track();
--> statement-breakpoint
-- Folds the deltas into one row per bucket. Each fold is one statement (one snapshot): a delta committed
-- meanwhile is either folded or left for the next fold, never lost or counted twice.
CREATE OR REPLACE FUNCTION complaint_counters_compact() RETURNS void AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(727200) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM complaint_counters RETURNING *)
  INSERT INTO complaint_counters (status, overdue, pending, rating, on_time, n)
  SELECT status, overdue, pending, rating, on_time, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
  WITH gone AS (DELETE FROM complaint_daily_counts RETURNING *)
  INSERT INTO complaint_daily_counts (day, kind, n)
  SELECT day, kind, sum(n) FROM gone GROUP BY 1, 2 HAVING sum(n) <> 0;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Recounts everything from the rows (after a bulk load with triggers off, or to check the counters).
CREATE OR REPLACE FUNCTION complaint_counters_rebuild() RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727200);
  WITH gone AS (DELETE FROM complaint_counters)
  INSERT INTO complaint_counters (status, overdue, pending, rating, on_time, n)
  SELECT status, sign_overdue OR rectify_overdue, pending_request IS NOT NULL, rating, rectified_on_time, count(*)
  FROM complaints GROUP BY 1, 2, 3, 4, 5;
  WITH gone AS (DELETE FROM complaint_daily_counts)
  INSERT INTO complaint_daily_counts (day, kind, n)
  SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date, 'received', count(*) FROM complaints
  WHERE status NOT IN ('rejected', 'merged') GROUP BY 1
  UNION ALL
  SELECT (at AT TIME ZONE 'Asia/Shanghai')::date, 'accepted', count(*) FROM complaint_events
  WHERE from_status = 'submitted' AND to_status = 'accepted' GROUP BY 1;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT complaint_counters_rebuild();
