CREATE TABLE "complaint_counters" (
	"status" "complaint_status" NOT NULL,
	"overdue" boolean NOT NULL,
	"pending" boolean NOT NULL,
	"rating" "complaint_rating",
	"on_time" boolean,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_daily_counts" (
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "complaints_status_created_idx";--> statement-breakpoint
DROP INDEX "complaint_followers_user_idx";--> statement-breakpoint
DROP INDEX "complaints_street_idx";--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "assignee_path" text;--> statement-breakpoint
CREATE INDEX "complaint_daily_counts_day_idx" ON "complaint_daily_counts" USING btree ("day","kind");--> statement-breakpoint
CREATE INDEX "complaints_status_id_idx" ON "complaints" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "complaints_status_assignee_path_idx" ON "complaints" USING btree ("status","assignee_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "complaints_overdue_idx" ON "complaints" USING btree ("id") WHERE ("complaints"."sign_overdue" OR "complaints"."rectify_overdue") AND "complaints"."status" IN ('assigned', 'signed');--> statement-breakpoint
CREATE INDEX "complaints_pending_idx" ON "complaints" USING btree ("id") WHERE "complaints"."pending_request" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "complaint_followers_user_idx" ON "complaint_followers" USING btree ("user_id","complaint_id");--> statement-breakpoint
CREATE INDEX "complaints_street_idx" ON "complaints" USING btree ("street_org_id","status","id");