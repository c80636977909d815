CREATE TYPE "public"."claim_status" AS ENUM('pending', 'approved', 'refused');--> statement-breakpoint
CREATE TYPE "public"."pass_status" AS ENUM('active', 'suspended', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."gate_direction" AS ENUM('in', 'out');--> statement-breakpoint
CREATE TYPE "public"."health_color" AS ENUM('green', 'green_star', 'yellow', 'red');--> statement-breakpoint
CREATE TYPE "public"."rule_set_status" AS ENUM('draft', 'active', 'retired');--> statement-breakpoint
CREATE TYPE "public"."gate_subject_kind" AS ENUM('pass', 'card', 'visitor', 'none');--> statement-breakpoint
CREATE TYPE "public"."gate_verdict" AS ENUM('pass', 'deny', 'register');--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" serial PRIMARY KEY NOT NULL,
	"compound_id" integer NOT NULL,
	"name" text NOT NULL,
	"units" integer DEFAULT 1 NOT NULL,
	"floors" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buildings_units_pos" CHECK ("buildings"."units" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "household_claims" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"unit" integer DEFAULT 1 NOT NULL,
	"room" text NOT NULL,
	"name" text NOT NULL,
	"id_enc" "bytea" NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"relation" text DEFAULT '其他' NOT NULL,
	"status" "claim_status" DEFAULT 'pending' NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"reason" text,
	"resident_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"compound_id" integer NOT NULL,
	"building_id" integer NOT NULL,
	"unit" integer DEFAULT 1 NOT NULL,
	"room" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_room_not_blank" CHECK (length(btrim("households"."room")) > 0)
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"id" serial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_masked" text NOT NULL,
	"id_enc" "bytea" NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone_enc" "bytea",
	"phone_hash" text,
	"phone_last4" text,
	"relation" text DEFAULT '其他' NOT NULL,
	"elderly_alone" boolean DEFAULT false NOT NULL,
	"no_smartphone" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"moved_in" date,
	"moved_out" date,
	"user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "residents_name_not_blank" CHECK (length(btrim("residents"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "pass_cards" (
	"id" serial PRIMARY KEY NOT NULL,
	"pass_id" integer NOT NULL,
	"code" text NOT NULL,
	"credential_exp" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pass_devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"pass_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"public_key" text NOT NULL,
	"credential_exp" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passes" (
	"id" serial PRIMARY KEY NOT NULL,
	"resident_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"status" "pass_status" DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"valid_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" text NOT NULL,
	"private_enc" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "admission_rule_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"rules" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" "rule_set_status" DEFAULT 'draft' NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"created_by" integer,
	"activated_by" integer,
	"activated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_check_keys" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"check_id" bigint NOT NULL,
	"verdict" "gate_verdict" NOT NULL,
	"reasons" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gate_checks" (
	"id" bigserial NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_id" uuid NOT NULL,
	"client_time" timestamp with time zone NOT NULL,
	"gate_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"gatekeeper_id" integer NOT NULL,
	"direction" "gate_direction" NOT NULL,
	"subject_kind" "gate_subject_kind" NOT NULL,
	"pass_id" integer,
	"visitor_id" integer,
	"temperature" numeric(3, 1),
	"mask" boolean,
	"color" "health_color",
	"nat_at" timestamp with time zone,
	"verdict" "gate_verdict" NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"gate_verdict" "gate_verdict",
	"rule_version" integer NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"case_hold" boolean DEFAULT false NOT NULL,
	CONSTRAINT "gate_checks_id_checked_at_pk" PRIMARY KEY("id","checked_at")
) PARTITION BY RANGE ("checked_at");
--> statement-breakpoint
CREATE TABLE "gate_daily" (
	"gate_id" integer NOT NULL,
	"compound_id" integer NOT NULL,
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"direction" "gate_direction" NOT NULL,
	"verdict" "gate_verdict" NOT NULL,
	"reason" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "gate_daily_gate_id_day_hour_direction_verdict_reason_pk" PRIMARY KEY("gate_id","day","hour","direction","verdict","reason")
);
--> statement-breakpoint
CREATE TABLE "visitors" (
	"id" serial PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"compound_id" integer NOT NULL,
	"gate_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_masked" text NOT NULL,
	"phone_enc" "bytea" NOT NULL,
	"phone_hash" text NOT NULL,
	"phone_last4" text NOT NULL,
	"purpose" text NOT NULL,
	"host_household_id" integer,
	"host_note" text,
	"origin" text NOT NULL,
	"in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"out_at" timestamp with time zone,
	"out_gate_id" integer,
	"created_by" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_claims" ADD CONSTRAINT "household_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_claims" ADD CONSTRAINT "household_claims_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_claims" ADD CONSTRAINT "household_claims_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_claims" ADD CONSTRAINT "household_claims_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_claims" ADD CONSTRAINT "household_claims_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_cards" ADD CONSTRAINT "pass_cards_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_cards" ADD CONSTRAINT "pass_cards_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_devices" ADD CONSTRAINT "pass_devices_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_devices" ADD CONSTRAINT "pass_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admission_rule_sets" ADD CONSTRAINT "admission_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admission_rule_sets" ADD CONSTRAINT "admission_rule_sets_activated_by_users_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_compound_id_org_units_id_fk" FOREIGN KEY ("compound_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_gate_id_org_units_id_fk" FOREIGN KEY ("gate_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_host_household_id_households_id_fk" FOREIGN KEY ("host_household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_out_gate_id_org_units_id_fk" FOREIGN KEY ("out_gate_id") REFERENCES "public"."org_units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitors" ADD CONSTRAINT "visitors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_compound_name_uq" ON "buildings" USING btree ("compound_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "household_claims_pending_uq" ON "household_claims" USING btree ("user_id") WHERE "household_claims"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "household_claims_compound_idx" ON "household_claims" USING btree ("compound_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "households_room_uq" ON "households" USING btree ("building_id","unit","room");--> statement-breakpoint
CREATE INDEX "households_compound_idx" ON "households" USING btree ("compound_id");--> statement-breakpoint
CREATE UNIQUE INDEX "residents_id_hash_current_uq" ON "residents" USING btree ("id_hash") WHERE "residents"."moved_out" IS NULL;--> statement-breakpoint
CREATE INDEX "residents_household_idx" ON "residents" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "residents_compound_idx" ON "residents" USING btree ("compound_id","id");--> statement-breakpoint
CREATE INDEX "residents_phone_hash_idx" ON "residents" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "residents_user_idx" ON "residents" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pass_cards_code_uq" ON "pass_cards" USING btree ("code");--> statement-breakpoint
CREATE INDEX "pass_cards_pass_idx" ON "pass_cards" USING btree ("pass_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pass_devices_key_uq" ON "pass_devices" USING btree ("public_key");--> statement-breakpoint
CREATE UNIQUE INDEX "pass_devices_current_uq" ON "pass_devices" USING btree ("pass_id") WHERE "pass_devices"."revoked_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "passes_resident_compound_uq" ON "passes" USING btree ("resident_id","compound_id");--> statement-breakpoint
CREATE INDEX "passes_compound_status_idx" ON "passes" USING btree ("compound_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "admission_rule_sets_version_uq" ON "admission_rule_sets" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "admission_rule_sets_one_active_uq" ON "admission_rule_sets" USING btree ("status") WHERE "admission_rule_sets"."status" = 'active';--> statement-breakpoint
CREATE INDEX "gate_checks_gate_time_idx" ON "gate_checks" USING btree ("gate_id","checked_at");--> statement-breakpoint
CREATE INDEX "gate_checks_pass_idx" ON "gate_checks" USING btree ("pass_id","checked_at");--> statement-breakpoint
CREATE INDEX "gate_daily_compound_day_idx" ON "gate_daily" USING btree ("compound_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "visitors_client_uq" ON "visitors" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "visitors_inside_idx" ON "visitors" USING btree ("compound_id") WHERE "visitors"."out_at" IS NULL;--> statement-breakpoint
CREATE INDEX "visitors_in_at_idx" ON "visitors" USING btree ("in_at");
--> statement-breakpoint
-- Time-ordered appends: a BRIN index on time is a few pages for months of checks.
CREATE INDEX "gate_checks_time_brin" ON "gate_checks" USING brin ("checked_at");
--> statement-breakpoint
-- Monthly partitions (Beijing months), created ahead by the start-up and a daily job; a default
-- partition catches anything outside them so an insert never fails for want of a partition.
CREATE OR REPLACE FUNCTION gate_checks_ensure_partitions(from_month date, months int) RETURNS int AS $$
DECLARE
  m date;
  made int := 0;
  name text;
BEGIN
  FOR i IN 0..months - 1 LOOP
    m := (date_trunc('month', from_month) + make_interval(months => i))::date;
    name := 'gate_checks_' || to_char(m, 'YYYYMM');
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF gate_checks FOR VALUES FROM (%L) TO (%L)',
        name, (m::timestamp AT TIME ZONE 'Asia/Shanghai'), ((m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'));
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TABLE "gate_checks_default" PARTITION OF "gate_checks" DEFAULT;
--> statement-breakpoint
SELECT gate_checks_ensure_partitions((now() AT TIME ZONE 'Asia/Shanghai')::date - 93, 6);
--> statement-breakpoint
-- The per-gate rollup, kept in the same transaction as the check.
CREATE OR REPLACE FUNCTION gate_daily_count() RETURNS trigger AS $$
BEGIN
  INSERT INTO gate_daily (gate_id, compound_id, day, hour, direction, verdict, reason, n)
  VALUES (NEW.gate_id, NEW.compound_id, (NEW.checked_at AT TIME ZONE 'Asia/Shanghai')::date,
          extract(hour FROM NEW.checked_at AT TIME ZONE 'Asia/Shanghai')::smallint, NEW.direction, NEW.verdict,
          CASE WHEN NEW.verdict = 'pass' THEN '' ELSE coalesce(NEW.reasons[1], '') END, 1)
  ON CONFLICT (gate_id, day, hour, direction, verdict, reason) DO UPDATE SET n = gate_daily.n + 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER gate_checks_daily AFTER INSERT ON gate_checks FOR EACH ROW EXECUTE FUNCTION gate_daily_count();
