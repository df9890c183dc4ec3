CREATE TABLE "device_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" varchar(64) NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"action" varchar(200) NOT NULL,
	"description" text,
	"priority" varchar(20) NOT NULL,
	"payload" json,
	"status" varchar(20) NOT NULL,
	"result" json,
	"error_message" text,
	"started_at" timestamp,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"completed_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "device_logs" (
	"id" serial PRIMARY KEY NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"received_at" timestamp DEFAULT now() NOT NULL,
	"level" varchar(20) NOT NULL,
	"category" varchar(50) NOT NULL,
	"message" text NOT NULL,
	"context" json
);
--> statement-breakpoint
ALTER TABLE "device_commands" ADD COLUMN "executed_at" timestamp;--> statement-breakpoint
CREATE UNIQUE INDEX "device_jobs_job_id_uq" ON "device_jobs" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "device_jobs_device_idx" ON "device_jobs" USING btree ("device_id","created_at");--> statement-breakpoint
CREATE INDEX "device_logs_device_ts_idx" ON "device_logs" USING btree ("device_id","timestamp","id");--> statement-breakpoint
CREATE INDEX "device_logs_ts_idx" ON "device_logs" USING btree ("timestamp");