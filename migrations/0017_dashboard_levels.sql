CREATE TABLE "dash_complaint_days" (
	"day" date NOT NULL,
	"org_id" integer NOT NULL,
	"parent_id" integer NOT NULL,
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
CREATE TABLE "dash_gate_org" (
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"org_id" integer NOT NULL,
	"parent_id" integer NOT NULL,
	"direction" "gate_direction" NOT NULL,
	"verdict" "gate_verdict" NOT NULL,
	"reason" text NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "dash_complaint_days_org_idx" ON "dash_complaint_days" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "dash_complaint_days_parent_idx" ON "dash_complaint_days" USING btree ("parent_id","day");--> statement-breakpoint
CREATE INDEX "dash_gate_org_org_idx" ON "dash_gate_org" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "dash_gate_org_parent_idx" ON "dash_gate_org" USING btree ("parent_id","hour","day");