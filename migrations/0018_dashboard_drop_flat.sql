DROP TABLE "dash_complaint_daily" CASCADE;--> statement-breakpoint
DROP TABLE "dash_gate_hourly" CASCADE;