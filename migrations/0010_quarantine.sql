CREATE TYPE "public"."area_level" AS ENUM('province', 'city', 'district');--> statement-breakpoint
CREATE TYPE "public"."quarantine_state" AS ENUM('registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost');--> statement-breakpoint
CREATE TYPE "public"."risk_level" AS ENUM('high', 'medium', 'low', 'none');--> statement-breakpoint
CREATE TYPE "public"."sweep_mark" AS ENUM('no_answer', 'registered', 'none');--> statement-breakpoint
CREATE TYPE "public"."transport_kind" AS ENUM('train', 'flight', 'car', 'bus', 'ship', 'other');--> statement-breakpoint
CREATE TYPE "public"."quarantine_alert_kind" AS ENUM('fever', 'symptom', 'gate', 'risk_up', 'nat_positive');--> statement-breakpoint
CREATE TYPE "public"."followup_slot" AS ENUM('am', 'pm');--> statement-breakpoint
CREATE TYPE "public"."nat_result" AS ENUM('negative', 'positive');--> statement-breakpoint
CREATE TYPE "public"."quarantine_action" AS ENUM('home', 'centralised', 'monitoring', 'none', 'extend', 'transfer', 'lose', 'release', 'open');--> statement-breakpoint
CREATE TABLE "key_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"level" "area_level" NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"risk" "risk_level" NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"retired_by" integer,
	"replaced_by" integer,
	CONSTRAINT "key_areas_code" CHECK ("key_areas"."code" ~ '^[0-9]{6}$'),
	CONSTRAINT "key_areas_risk_listed" CHECK ("key_areas"."risk" <> 'none'),
	CONSTRAINT "key_areas_window" CHECK ("key_areas"."valid_until" IS NULL OR "key_areas"."valid_until" >= "key_areas"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "returnees" (
	"id" serial PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"street_id" integer NOT NULL,
	"compound_id" integer,
	"household_id" integer,
	"resident_id" integer,
	"address" text NOT NULL,
	"name" text NOT NULL,
	"name_masked" text NOT NULL,
	"id_enc" "bytea" NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone_enc" "bytea",
	"phone_hash" text,
	"phone_last4" text,
	"elderly" boolean DEFAULT false NOT NULL,
	"no_smartphone" boolean DEFAULT false NOT NULL,
	"owner_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"state" "quarantine_state" DEFAULT 'registered' NOT NULL,
	"current_case_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "returnees_name_not_blank" CHECK (length(btrim("returnees"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "sweep_marks" (
	"household_id" integer PRIMARY KEY NOT NULL,
	"compound_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"mark" "sweep_mark" NOT NULL,
	"note" text,
	"marked_by" integer,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "returnee_trips" (
	"id" serial PRIMARY KEY NOT NULL,
	"returnee_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"province_code" text NOT NULL,
	"city_code" text,
	"district_code" text,
	"origin_name" text NOT NULL,
	"route" text DEFAULT '' NOT NULL,
	"departed_on" date,
	"arrived_on" date NOT NULL,
	"transport" "transport_kind" NOT NULL,
	"transport_no" text DEFAULT '' NOT NULL,
	"key_contact" boolean DEFAULT false NOT NULL,
	"health_color" "health_color",
	"travel_card_upload_id" uuid,
	"risk" "risk_level" DEFAULT 'none' NOT NULL,
	"source" text NOT NULL,
	"registered_by" integer,
	"reviewed_at" timestamp with time zone,
	"registrations" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "returnee_trips_codes" CHECK ("returnee_trips"."province_code" ~ '^[0-9]{6}$' AND ("returnee_trips"."city_code" IS NULL OR "returnee_trips"."city_code" ~ '^[0-9]{6}$') AND ("returnee_trips"."district_code" IS NULL OR "returnee_trips"."district_code" ~ '^[0-9]{6}$'))
);
--> statement-breakpoint
CREATE TABLE "followup_slots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"slot_date" date NOT NULL,
	"slot" "followup_slot" NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"temperature" numeric(3, 1),
	"symptoms" text[] DEFAULT '{}'::text[] NOT NULL,
	"abnormal" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp with time zone,
	"recorded_by" integer,
	"recorder_kind" text,
	"overdue" boolean DEFAULT false NOT NULL,
	"overdue_at" timestamp with time zone,
	CONSTRAINT "followup_slots_temperature" CHECK ("followup_slots"."temperature" IS NULL OR "followup_slots"."temperature" BETWEEN 34 AND 43)
);
--> statement-breakpoint
CREATE TABLE "nat_tests" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"due_on" date NOT NULL,
	"result" "nat_result",
	"sampled_on" date,
	"recorded_by" integer,
	"recorded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quarantine_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer,
	"returnee_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"kind" "quarantine_alert_kind" NOT NULL,
	"text" text NOT NULL,
	"followup_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by" integer,
	"handled_note" text
);
--> statement-breakpoint
CREATE TABLE "quarantine_cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"returnee_id" integer NOT NULL,
	"trip_id" integer,
	"community_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"resident_id" integer,
	"compound_id" integer,
	"state" "quarantine_state" DEFAULT 'registered' NOT NULL,
	"site_id" integer,
	"room" text,
	"start_on" date,
	"end_on" date,
	"started_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"release_proposed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quarantine_cases_site" CHECK (("quarantine_cases"."state" = 'centralised') = ("quarantine_cases"."site_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "quarantine_daily" (
	"day" date NOT NULL,
	"community_id" integer NOT NULL,
	"street_id" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quarantine_daily_day_community_id_pk" PRIMARY KEY("day","community_id")
);
--> statement-breakpoint
CREATE TABLE "quarantine_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"actor_id" integer,
	"action" "quarantine_action" NOT NULL,
	"from_state" "quarantine_state",
	"to_state" "quarantine_state" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quarantine_sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"rooms" integer NOT NULL,
	"capacity" integer NOT NULL,
	"occupancy" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quarantine_sites_capacity" CHECK ("quarantine_sites"."capacity" >= 0 AND "quarantine_sites"."rooms" >= 0 AND "quarantine_sites"."occupancy" BETWEEN 0 AND "quarantine_sites"."capacity")
);
--> statement-breakpoint
ALTER TABLE "key_areas" ADD CONSTRAINT "key_areas_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_areas" ADD CONSTRAINT "key_areas_retired_by_users_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnees" ADD CONSTRAINT "returnees_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnees" ADD CONSTRAINT "returnees_street_id_org_units_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnees" ADD CONSTRAINT "returnees_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnees" ADD CONSTRAINT "returnees_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnees" ADD CONSTRAINT "returnees_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_marks" ADD CONSTRAINT "sweep_marks_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_marks" ADD CONSTRAINT "sweep_marks_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_marks" ADD CONSTRAINT "sweep_marks_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnee_trips" ADD CONSTRAINT "returnee_trips_returnee_id_returnees_id_fk" FOREIGN KEY ("returnee_id") REFERENCES "public"."returnees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnee_trips" ADD CONSTRAINT "returnee_trips_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnee_trips" ADD CONSTRAINT "returnee_trips_travel_card_upload_id_uploads_id_fk" FOREIGN KEY ("travel_card_upload_id") REFERENCES "public"."uploads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "returnee_trips" ADD CONSTRAINT "returnee_trips_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_slots" ADD CONSTRAINT "followup_slots_case_id_quarantine_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."quarantine_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_slots" ADD CONSTRAINT "followup_slots_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nat_tests" ADD CONSTRAINT "nat_tests_case_id_quarantine_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."quarantine_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nat_tests" ADD CONSTRAINT "nat_tests_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_alerts" ADD CONSTRAINT "quarantine_alerts_case_id_quarantine_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."quarantine_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_alerts" ADD CONSTRAINT "quarantine_alerts_returnee_id_returnees_id_fk" FOREIGN KEY ("returnee_id") REFERENCES "public"."returnees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_alerts" ADD CONSTRAINT "quarantine_alerts_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_cases" ADD CONSTRAINT "quarantine_cases_returnee_id_returnees_id_fk" FOREIGN KEY ("returnee_id") REFERENCES "public"."returnees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_cases" ADD CONSTRAINT "quarantine_cases_trip_id_returnee_trips_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."returnee_trips"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_cases" ADD CONSTRAINT "quarantine_cases_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_cases" ADD CONSTRAINT "quarantine_cases_site_id_quarantine_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."quarantine_sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_daily" ADD CONSTRAINT "quarantine_daily_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_events" ADD CONSTRAINT "quarantine_events_case_id_quarantine_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."quarantine_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_events" ADD CONSTRAINT "quarantine_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantine_sites" ADD CONSTRAINT "quarantine_sites_org_id_org_units_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "key_areas_current_idx" ON "key_areas" USING btree ("code") WHERE "key_areas"."retired_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "returnees_id_hash_uq" ON "returnees" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "returnees_community_state_idx" ON "returnees" USING btree ("community_id","state");--> statement-breakpoint
CREATE INDEX "returnees_path_idx" ON "returnees" USING btree ("org_path" text_pattern_ops,"state");--> statement-breakpoint
CREATE INDEX "returnees_resident_idx" ON "returnees" USING btree ("resident_id") WHERE "returnees"."resident_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "returnees_owner_idx" ON "returnees" USING gin ("owner_ids");--> statement-breakpoint
CREATE INDEX "sweep_marks_building_idx" ON "sweep_marks" USING btree ("building_id","mark");--> statement-breakpoint
CREATE UNIQUE INDEX "returnee_trips_same_trip_uq" ON "returnee_trips" USING btree ("returnee_id","arrived_on");--> statement-breakpoint
CREATE INDEX "returnee_trips_unreviewed_idx" ON "returnee_trips" USING btree ("community_id","created_at") WHERE "returnee_trips"."reviewed_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "followup_slots_case_slot_uq" ON "followup_slots" USING btree ("case_id","slot_date","slot");--> statement-breakpoint
CREATE INDEX "followup_slots_open_idx" ON "followup_slots" USING btree ("community_id","due_at") WHERE "followup_slots"."recorded_at" IS NULL;--> statement-breakpoint
CREATE INDEX "followup_slots_pending_due_idx" ON "followup_slots" USING btree ("due_at") WHERE "followup_slots"."recorded_at" IS NULL AND NOT "followup_slots"."overdue";--> statement-breakpoint
CREATE UNIQUE INDEX "nat_tests_case_due_uq" ON "nat_tests" USING btree ("case_id","due_on");--> statement-breakpoint
CREATE INDEX "nat_tests_open_idx" ON "nat_tests" USING btree ("community_id","due_on") WHERE "nat_tests"."result" IS NULL;--> statement-breakpoint
CREATE INDEX "quarantine_alerts_open_idx" ON "quarantine_alerts" USING btree ("community_id","created_at") WHERE "quarantine_alerts"."handled_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_cases_open_uq" ON "quarantine_cases" USING btree ("returnee_id") WHERE "quarantine_cases"."state" IN ('registered','home','centralised','monitoring');--> statement-breakpoint
CREATE INDEX "quarantine_cases_community_state_idx" ON "quarantine_cases" USING btree ("community_id","state");--> statement-breakpoint
CREATE INDEX "quarantine_cases_home_compound_idx" ON "quarantine_cases" USING btree ("compound_id") WHERE "quarantine_cases"."state" = 'home';--> statement-breakpoint
CREATE INDEX "quarantine_cases_home_resident_idx" ON "quarantine_cases" USING btree ("resident_id") WHERE "quarantine_cases"."state" = 'home';--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_cases_site_room_uq" ON "quarantine_cases" USING btree ("site_id","room") WHERE "quarantine_cases"."state" = 'centralised' AND "quarantine_cases"."room" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "quarantine_daily_street_idx" ON "quarantine_daily" USING btree ("street_id","day");--> statement-breakpoint
CREATE INDEX "quarantine_events_case_idx" ON "quarantine_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "quarantine_events_day_idx" ON "quarantine_events" USING btree ("community_id","at","to_state");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_sites_name_uq" ON "quarantine_sites" USING btree ("name");