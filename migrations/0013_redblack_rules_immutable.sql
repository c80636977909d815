-- The first version of the 红黑榜 rules, worded after the 2020 reports (区住房和城乡建设局 on 物管项目 and
-- 物业服务企业). Later versions are new rows written by the district; periods record the version they used.
INSERT INTO redblack_rules (version, window_days, award_min_reds, sanctions, awards)
VALUES (1, 30, 2, '{"property_project":"提请市物业主管部门取消其项目经理从业资格","property_company":"纳入全市企业失信行为联合惩戒体系，取消该企业全年评优评先资格，两年内不得承接崇川区范围内新建物管项目","community":"提请区纪委监委对社区负责人诫勉谈话，责令限期整改","supermarket":"由市场监管部门约谈负责人，责令停业整改","farmers_market":"由市场监管部门约谈市场开办方，责令限期整改","enterprise":"暂停复工资格，由驻点干部督促整改到位后重新审核"}'::jsonb, '{"property_project":"作为年度优秀物管项目优先推荐，项目经理在年度评优评先中优先推荐","property_company":"在评优评先中予以推荐，在崇川区项目招标中予以优先推荐","community":"在年度社区考核和评优评先中予以推荐","supermarket":"在诚信经营评选中予以推荐","farmers_market":"在文明市场评选中予以推荐","enterprise":"在复工复产先进评选中予以推荐"}'::jsonb)
ON CONFLICT (version) DO NOTHING;
--> statement-breakpoint
-- A published period is immutable: corrections are errata that link to it. Rules versions are history too.
CREATE OR REPLACE FUNCTION redblack_periods_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'published red/black period % is immutable', OLD.id USING ERRCODE = '55000';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER redblack_periods_immutable BEFORE UPDATE OR DELETE ON redblack_periods
  FOR EACH ROW EXECUTE FUNCTION redblack_periods_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION redblack_entries_immutable() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM redblack_periods p WHERE p.status = 'published'
             AND p.id IN (NEW.period_id, OLD.period_id)) THEN
    RAISE EXCEPTION 'entries of a published red/black period are immutable' USING ERRCODE = '55000';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER redblack_entries_immutable BEFORE INSERT OR UPDATE OR DELETE ON redblack_entries
  FOR EACH ROW EXECUTE FUNCTION redblack_entries_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION redblack_evidence_immutable() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM redblack_entries e JOIN redblack_periods p ON p.id = e.period_id
             WHERE p.status = 'published' AND e.id IN (NEW.entry_id, OLD.entry_id)) THEN
    RAISE EXCEPTION 'evidence of a published red/black period is immutable' USING ERRCODE = '55000';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER redblack_evidence_immutable BEFORE INSERT OR UPDATE OR DELETE ON redblack_evidence
  FOR EACH ROW EXECUTE FUNCTION redblack_evidence_immutable();
--> statement-breakpoint
CREATE TRIGGER redblack_rules_append_only BEFORE UPDATE OR DELETE ON redblack_rules
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
-- Drafting suggestions read complaints without scanning them (1 M rows): reports sent back by the verifier and
-- still open, per unit; reports per place by filing time (rebounds); fixes by time with their on-time flag.
CREATE INDEX IF NOT EXISTS complaints_rb_returned_idx ON complaints (assignee_org_id, id)
  WHERE returns > 0 AND status IN ('assigned', 'signed');
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS complaints_rb_place_created_idx ON complaints (created_at) INCLUDE (place_org_id, status, id)
  WHERE place_org_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS complaints_rb_rectified_idx ON complaints (rectified_at) INCLUDE (assignee_org_id, rectified_on_time)
  WHERE rectified_at IS NOT NULL;
