CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_similar_shown" (
	"user_id" integer NOT NULL,
	"complaint_id" integer NOT NULL,
	"shown_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_similar_shown_user_id_complaint_id_pk" PRIMARY KEY("user_id","complaint_id")
);
--> statement-breakpoint
DROP INDEX "bulletin_items_complaint_uq";--> statement-breakpoint
ALTER TABLE "complaint_similar_shown" ADD CONSTRAINT "complaint_similar_shown_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_similar_shown" ADD CONSTRAINT "complaint_similar_shown_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_limits_reset_idx" ON "rate_limits" USING btree ("reset_at");--> statement-breakpoint
CREATE INDEX "complaint_similar_shown_at_idx" ON "complaint_similar_shown" USING btree ("shown_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bulletin_items_bulletin_complaint_uq" ON "bulletin_items" USING btree ("bulletin_id","complaint_id");--> statement-breakpoint
CREATE INDEX "bulletin_items_complaint_idx" ON "bulletin_items" USING btree ("complaint_id");