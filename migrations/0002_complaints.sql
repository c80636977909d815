CREATE TYPE "public"."complaint_status" AS ENUM('submitted', 'accepted', 'rejected', 'merged', 'assigned', 'signed', 'rectified', 'verified', 'published', 'closed', 'reopened');--> statement-breakpoint
CREATE TYPE "public"."photo_stage" AS ENUM('report', 'rectify');--> statement-breakpoint
CREATE TYPE "public"."complaint_rating" AS ENUM('satisfied', 'unsatisfied');--> statement-breakpoint
CREATE TYPE "public"."complaint_request_kind" AS ENUM('extension', 'reassign');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'skipped', 'failed');--> statement-breakpoint
CREATE TYPE "public"."bulletin_kind" AS ENUM('regular', 'erratum');--> statement-breakpoint
CREATE TYPE "public"."bulletin_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" integer NOT NULL,
	"purpose" text NOT NULL,
	"mime" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"original_bytes" integer NOT NULL,
	"storage_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sign_hours" smallint NOT NULL,
	"rectify_days" smallint NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "complaint_categories_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "complaint_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"complaint_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor_role" "role",
	"actor_org_id" integer,
	"kind" text NOT NULL,
	"from_status" "complaint_status",
	"to_status" "complaint_status",
	"note" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_followers" (
	"complaint_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_followers_complaint_id_user_id_pk" PRIMARY KEY("complaint_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "complaint_photos" (
	"complaint_id" integer NOT NULL,
	"upload_id" uuid NOT NULL,
	"stage" "photo_stage" NOT NULL,
	"seq" smallint NOT NULL,
	CONSTRAINT "complaint_photos_complaint_id_upload_id_pk" PRIMARY KEY("complaint_id","upload_id")
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" serial PRIMARY KEY NOT NULL,
	"tracking_code" text NOT NULL,
	"reporter_id" integer NOT NULL,
	"client_key" text NOT NULL,
	"category_id" integer NOT NULL,
	"place_org_id" integer,
	"address" text,
	"street_org_id" integer,
	"description" text NOT NULL,
	"anonymous" boolean NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"status" "complaint_status" DEFAULT 'submitted' NOT NULL,
	"reject_reason" text,
	"merged_into_id" integer,
	"assignee_org_id" integer,
	"assigned_at" timestamp with time zone,
	"sign_due_at" timestamp with time zone,
	"rectify_due_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"rectified_at" timestamp with time zone,
	"rectified_on_time" boolean,
	"verified_at" timestamp with time zone,
	"sign_reminded" boolean DEFAULT false NOT NULL,
	"rectify_reminded" boolean DEFAULT false NOT NULL,
	"sign_overdue" boolean DEFAULT false NOT NULL,
	"rectify_overdue" boolean DEFAULT false NOT NULL,
	"escalated_at" timestamp with time zone,
	"returns" smallint DEFAULT 0 NOT NULL,
	"rectify_text" text,
	"pending_request" "complaint_request_kind",
	"pending_reason" text,
	"pending_until" timestamp with time zone,
	"pending_at" timestamp with time zone,
	"rating" "complaint_rating",
	"rating_comment" text,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaints_place_or_address" CHECK ("complaints"."place_org_id" IS NOT NULL OR "complaints"."address" IS NOT NULL),
	CONSTRAINT "complaints_assigned_has_unit" CHECK ("complaints"."status" NOT IN ('assigned','signed','rectified') OR "complaints"."assignee_org_id" IS NOT NULL),
	CONSTRAINT "complaints_rejected_has_reason" CHECK ("complaints"."status" <> 'rejected' OR "complaints"."reject_reason" IS NOT NULL),
	CONSTRAINT "complaints_merged_has_target" CHECK ("complaints"."status" <> 'merged' OR "complaints"."merged_into_id" IS NOT NULL),
	CONSTRAINT "complaints_not_self_merge" CHECK ("complaints"."merged_into_id" IS DISTINCT FROM "complaints"."id")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"complaint_id" integer,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"user_id" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bulletin_counters" (
	"district_org_id" integer PRIMARY KEY NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bulletin_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"bulletin_id" integer NOT NULL,
	"complaint_id" integer NOT NULL,
	"seq" smallint NOT NULL,
	"problem" text NOT NULL,
	"place" text NOT NULL,
	"measures" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bulletins" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_org_id" integer NOT NULL,
	"number" integer,
	"kind" "bulletin_kind" DEFAULT 'regular' NOT NULL,
	"status" "bulletin_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"corrects_id" integer,
	"erratum_text" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "bulletins_published_numbered" CHECK ("bulletins"."status" = 'draft' OR "bulletins"."number" IS NOT NULL),
	CONSTRAINT "bulletins_erratum_links" CHECK (("bulletins"."kind" = 'erratum') = ("bulletins"."corrects_id" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_org_id_org_units_id_fk" FOREIGN KEY ("actor_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_followers" ADD CONSTRAINT "complaint_followers_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_followers" ADD CONSTRAINT "complaint_followers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_photos" ADD CONSTRAINT "complaint_photos_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_photos" ADD CONSTRAINT "complaint_photos_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_category_id_complaint_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."complaint_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_place_org_id_org_units_id_fk" FOREIGN KEY ("place_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_street_org_id_org_units_id_fk" FOREIGN KEY ("street_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_merged_into_id_complaints_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_assignee_org_id_org_units_id_fk" FOREIGN KEY ("assignee_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_counters" ADD CONSTRAINT "bulletin_counters_district_org_id_org_units_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_items" ADD CONSTRAINT "bulletin_items_bulletin_id_bulletins_id_fk" FOREIGN KEY ("bulletin_id") REFERENCES "public"."bulletins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_items" ADD CONSTRAINT "bulletin_items_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_district_org_id_org_units_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_corrects_id_bulletins_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."bulletins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_owner_idx" ON "uploads" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_idx" ON "complaint_events" USING btree ("complaint_id","id");--> statement-breakpoint
CREATE INDEX "complaint_followers_user_idx" ON "complaint_followers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_photos_upload_uq" ON "complaint_photos" USING btree ("upload_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_tracking_uq" ON "complaints" USING btree ("tracking_code");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_client_key_uq" ON "complaints" USING btree ("reporter_id","client_key");--> statement-breakpoint
CREATE INDEX "complaints_status_created_idx" ON "complaints" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "complaints_assignee_idx" ON "complaints" USING btree ("assignee_org_id","status");--> statement-breakpoint
CREATE INDEX "complaints_reporter_idx" ON "complaints" USING btree ("reporter_id","id");--> statement-breakpoint
CREATE INDEX "complaints_place_cat_idx" ON "complaints" USING btree ("place_org_id","category_id","status");--> statement-breakpoint
CREATE INDEX "complaints_street_idx" ON "complaints" USING btree ("street_org_id","status");--> statement-breakpoint
CREATE INDEX "messages_user_idx" ON "messages" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletin_items_complaint_uq" ON "bulletin_items" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "bulletin_items_bulletin_idx" ON "bulletin_items" USING btree ("bulletin_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletins_number_uq" ON "bulletins" USING btree ("district_org_id","kind","number");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletins_one_draft_uq" ON "bulletins" USING btree ("district_org_id") WHERE "bulletins"."status" = 'draft' AND "bulletins"."kind" = 'regular';--> statement-breakpoint
CREATE INDEX "bulletins_published_idx" ON "bulletins" USING btree ("status","published_at");