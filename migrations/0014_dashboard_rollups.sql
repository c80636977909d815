CREATE TABLE "dash_complaint_daily" (
	"day" date NOT NULL,
	"street_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"received" integer NOT NULL,
	"signed" integer NOT NULL,
	"signed_on_time" integer NOT NULL,
	"rectified" integer NOT NULL,
	"rectified_on_time" integer NOT NULL,
	"rated" integer NOT NULL,
	"satisfied" integer NOT NULL,
	"returned" integer NOT NULL,
	"returns" integer NOT NULL,
	"plugged" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dash_complaint_now" (
	"street_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"overdue" integer NOT NULL,
	"open" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dash_gate_hourly" (
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"street_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"direction" "gate_direction" NOT NULL,
	"verdict" "gate_verdict" NOT NULL,
	"reason" text NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "dash_complaint_daily_day_idx" ON "dash_complaint_daily" USING btree ("day","street_id");--> statement-breakpoint
CREATE INDEX "dash_complaint_daily_street_idx" ON "dash_complaint_daily" USING btree ("street_id","day");--> statement-breakpoint
CREATE INDEX "dash_gate_hourly_day_idx" ON "dash_gate_hourly" USING btree ("day","street_id");--> statement-breakpoint
CREATE INDEX "dash_gate_hourly_street_idx" ON "dash_gate_hourly" USING btree ("street_id","day");