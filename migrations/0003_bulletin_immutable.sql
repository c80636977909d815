-- A published bulletin is immutable: corrections are new errata that link to it.
CREATE OR REPLACE FUNCTION bulletins_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'published bulletin % is immutable', OLD.id USING ERRCODE = '55000';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bulletins_immutable BEFORE UPDATE OR DELETE ON bulletins
  FOR EACH ROW EXECUTE FUNCTION bulletins_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bulletin_items_immutable() RETURNS trigger AS $$
DECLARE st bulletin_status;
BEGIN
  SELECT status INTO st FROM bulletins WHERE id = COALESCE(NEW.bulletin_id, OLD.bulletin_id);
  IF st = 'published' OR (TG_OP = 'UPDATE' AND (SELECT status FROM bulletins WHERE id = OLD.bulletin_id) = 'published') THEN
    RAISE EXCEPTION 'items of a published bulletin are immutable' USING ERRCODE = '55000';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER bulletin_items_immutable BEFORE INSERT OR UPDATE OR DELETE ON bulletin_items
  FOR EACH ROW EXECUTE FUNCTION bulletin_items_immutable();
--> statement-breakpoint
-- Complaint events are history: append-only like the audit log.
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE OR DELETE ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
-- "任港街道 大庆社区 任港路新村": names along an org path, without the district and grid levels.
CREATE OR REPLACE FUNCTION org_place_name(p text) RETURNS text AS $$
  SELECT string_agg(o.name, ' ' ORDER BY array_position(ids, o.id))
  FROM (SELECT string_to_array(btrim(p, '/'), '/')::int[] AS ids) x
  JOIN org_units o ON o.id = ANY(x.ids)
  WHERE o.kind NOT IN ('district', 'grid')
$$ LANGUAGE sql STABLE;
