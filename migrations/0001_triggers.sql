-- Org hierarchy: fill the materialised path and refuse a parent of the wrong kind.
CREATE OR REPLACE FUNCTION org_units_before_write() RETURNS trigger AS $$
DECLARE
  parent_kind org_kind;
  parent_path text;
  expected org_kind;
BEGIN
  expected := CASE NEW.kind
    WHEN 'district' THEN NULL
    WHEN 'street' THEN 'district'
    WHEN 'community' THEN 'street'
    WHEN 'grid' THEN 'community'
    WHEN 'compound' THEN 'grid'
    WHEN 'gate' THEN 'compound'
    WHEN 'market' THEN 'community'
  END;
  IF NEW.parent_id IS NULL THEN
    NEW.path := '/' || NEW.id || '/';
  ELSE
    SELECT kind, path INTO parent_kind, parent_path FROM org_units WHERE id = NEW.parent_id;
    IF parent_kind IS DISTINCT FROM expected THEN
      RAISE EXCEPTION 'org unit of kind % cannot hang under %', NEW.kind, parent_kind USING ERRCODE = '23514';
    END IF;
    NEW.path := parent_path || NEW.id || '/';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.kind <> OLD.kind) THEN
    RAISE EXCEPTION 'org units cannot be moved or change kind' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER org_units_before_write BEFORE INSERT OR UPDATE ON org_units
  FOR EACH ROW EXECUTE FUNCTION org_units_before_write();
--> statement-breakpoint
-- The audit log is append-only.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
