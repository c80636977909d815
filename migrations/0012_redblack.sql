CREATE TYPE "public"."rb_entity_kind" AS ENUM('community', 'property_project', 'property_company', 'supermarket', 'farmers_market', 'enterprise');--> statement-breakpoint
CREATE TYPE "public"."rb_evidence_kind" AS ENUM('complaint', 'bulletin_item', 'gate_check', 'inspection');--> statement-breakpoint
CREATE TYPE "public"."rb_list" AS ENUM('red', 'black');--> statement-breakpoint
CREATE TYPE "public"."rb_period_kind" AS ENUM('regular', 'erratum');--> statement-breakpoint
CREATE TYPE "public"."rb_period_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "redblack_counters" (
	"district_org_id" integer PRIMARY KEY NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redblack_entities" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" "rb_entity_kind" NOT NULL,
	"name" text NOT NULL,
	"street_org_id" integer NOT NULL,
	"org_unit_id" integer,
	"company_id" integer,
	"compound_org_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redblack_entities_project_links" CHECK (("redblack_entities"."kind" = 'property_project') = ("redblack_entities"."company_id" IS NOT NULL AND "redblack_entities"."compound_org_id" IS NOT NULL)),
	CONSTRAINT "redblack_entities_company_no_org" CHECK ("redblack_entities"."kind" <> 'property_company' OR "redblack_entities"."org_unit_id" IS NULL),
	CONSTRAINT "redblack_entities_name_not_blank" CHECK (length(btrim("redblack_entities"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "redblack_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"list" "rb_list" NOT NULL,
	"seq" smallint NOT NULL,
	"reason" text NOT NULL,
	"flags" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redblack_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"entry_id" integer NOT NULL,
	"kind" "rb_evidence_kind" NOT NULL,
	"complaint_id" integer,
	"bulletin_item_id" integer,
	"gate_check_id" bigint,
	"note" text,
	"photo_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"label" text NOT NULL,
	CONSTRAINT "redblack_evidence_ref" CHECK (("redblack_evidence"."kind" = 'complaint') = ("redblack_evidence"."complaint_id" IS NOT NULL) AND ("redblack_evidence"."kind" = 'bulletin_item') = ("redblack_evidence"."bulletin_item_id" IS NOT NULL)
        AND ("redblack_evidence"."kind" = 'gate_check') = ("redblack_evidence"."gate_check_id" IS NOT NULL) AND ("redblack_evidence"."kind" = 'inspection') = ("redblack_evidence"."note" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "redblack_periods" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_org_id" integer NOT NULL,
	"number" integer,
	"kind" "rb_period_kind" DEFAULT 'regular' NOT NULL,
	"status" "rb_period_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"corrects_id" integer,
	"erratum_text" text,
	"rules_version" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "redblack_periods_published_numbered" CHECK ("redblack_periods"."status" = 'draft' OR ("redblack_periods"."number" IS NOT NULL AND "redblack_periods"."published_at" IS NOT NULL)),
	CONSTRAINT "redblack_periods_erratum_links" CHECK (("redblack_periods"."kind" = 'erratum') = ("redblack_periods"."corrects_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "redblack_rules" (
	"version" integer PRIMARY KEY NOT NULL,
	"window_days" smallint NOT NULL,
	"award_min_reds" smallint NOT NULL,
	"sanctions" jsonb NOT NULL,
	"awards" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "redblack_counters" ADD CONSTRAINT "redblack_counters_district_org_id_org_units_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entities" ADD CONSTRAINT "redblack_entities_street_org_id_org_units_id_fk" FOREIGN KEY ("street_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entities" ADD CONSTRAINT "redblack_entities_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entities" ADD CONSTRAINT "redblack_entities_company_id_redblack_entities_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."redblack_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entities" ADD CONSTRAINT "redblack_entities_compound_org_id_org_units_id_fk" FOREIGN KEY ("compound_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entities" ADD CONSTRAINT "redblack_entities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entries" ADD CONSTRAINT "redblack_entries_period_id_redblack_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."redblack_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_entries" ADD CONSTRAINT "redblack_entries_entity_id_redblack_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."redblack_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_evidence" ADD CONSTRAINT "redblack_evidence_entry_id_redblack_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."redblack_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_evidence" ADD CONSTRAINT "redblack_evidence_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_evidence" ADD CONSTRAINT "redblack_evidence_bulletin_item_id_bulletin_items_id_fk" FOREIGN KEY ("bulletin_item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_periods" ADD CONSTRAINT "redblack_periods_district_org_id_org_units_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_periods" ADD CONSTRAINT "redblack_periods_corrects_id_redblack_periods_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."redblack_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_periods" ADD CONSTRAINT "redblack_periods_rules_version_redblack_rules_version_fk" FOREIGN KEY ("rules_version") REFERENCES "public"."redblack_rules"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_periods" ADD CONSTRAINT "redblack_periods_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redblack_rules" ADD CONSTRAINT "redblack_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "redblack_entities_kind_street_name_uq" ON "redblack_entities" USING btree ("kind","street_org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "redblack_entities_org_unit_uq" ON "redblack_entities" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "redblack_entities_company_idx" ON "redblack_entities" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "redblack_entities_compound_idx" ON "redblack_entities" USING btree ("compound_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redblack_entries_period_entity_uq" ON "redblack_entries" USING btree ("period_id","entity_id");--> statement-breakpoint
CREATE INDEX "redblack_entries_entity_idx" ON "redblack_entries" USING btree ("entity_id","period_id");--> statement-breakpoint
CREATE INDEX "redblack_entries_period_idx" ON "redblack_entries" USING btree ("period_id","list","seq");--> statement-breakpoint
CREATE INDEX "redblack_evidence_entry_idx" ON "redblack_evidence" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "redblack_evidence_complaint_idx" ON "redblack_evidence" USING btree ("complaint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redblack_periods_number_uq" ON "redblack_periods" USING btree ("district_org_id","kind","number");--> statement-breakpoint
CREATE INDEX "redblack_periods_published_idx" ON "redblack_periods" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "redblack_periods_corrects_idx" ON "redblack_periods" USING btree ("corrects_id");