CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"kind" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"device_id" varchar(255),
	"site_id" varchar(50),
	"title" text NOT NULL,
	"details" json,
	"fingerprint" varchar(255) NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"resolved_at" timestamp,
	"resolved_by" varchar(255),
	"last_seen_at" timestamp DEFAULT now() NOT NULL,
	"score" double precision,
	"occurrences" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_request_rollups" (
	"bucket" varchar(8) NOT NULL,
	"bucket_start" timestamp NOT NULL,
	"route" varchar(255) NOT NULL,
	"method" varchar(10) NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"p50_ms" double precision,
	"p95_ms" double precision,
	"avg_ms" double precision,
	"max_ms" double precision,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "configuration_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"entity_type" varchar(50) NOT NULL,
	"entity_id" varchar(255) NOT NULL,
	"parameter_name" varchar(255) NOT NULL,
	"old_value" json,
	"new_value" json,
	"changed_by" varchar(255) NOT NULL,
	"change_reason" text,
	"change_type" varchar(50) NOT NULL,
	"performance_before" json,
	"performance_after" json,
	"was_successful" boolean,
	"was_rolled_back" boolean DEFAULT false NOT NULL,
	"rollback_reason" text,
	"job_id" varchar(100),
	"evaluate_after" timestamp
);
--> statement-breakpoint
CREATE TABLE "device_metric_rollups" (
	"bucket" varchar(8) NOT NULL,
	"bucket_start" timestamp NOT NULL,
	"device_id" varchar(255) NOT NULL,
	"site_id" varchar(50),
	"samples" integer NOT NULL,
	"stats" json NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"device_id" varchar(255) NOT NULL,
	"cpu_percent" double precision,
	"memory_percent" double precision,
	"disk_percent" double precision,
	"network_latency_ms" double precision,
	"transaction_count" integer,
	"transaction_volume" double precision,
	"error_rate" double precision,
	"active_connections" integer,
	"queue_depth" integer,
	"extra_metrics" json
);
--> statement-breakpoint
CREATE TABLE "site_operating_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"site_id" varchar(255) NOT NULL,
	"day_of_week" integer NOT NULL,
	"open_time" time,
	"close_time" time,
	"is_closed" boolean DEFAULT false NOT NULL,
	"is_maintenance_window" boolean DEFAULT false NOT NULL,
	"expected_transaction_volume" integer,
	"peak_hours_start" time,
	"peak_hours_end" time,
	"notes" text,
	"special_considerations" json,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_request_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"endpoint" varchar(255) NOT NULL,
	"method" varchar(10) NOT NULL,
	"status_code" integer NOT NULL,
	"response_time_ms" double precision NOT NULL,
	"user_id" varchar(255),
	"ip_address" varchar(45),
	"user_agent" varchar(500),
	"error_message" text,
	"request_size_bytes" integer,
	"response_size_bytes" integer,
	"route" varchar(255),
	"device_id" varchar(255)
);
--> statement-breakpoint
CREATE TABLE "device_state_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"device_id" varchar(255) NOT NULL,
	"previous_state" varchar(50),
	"new_state" varchar(50) NOT NULL,
	"changed_by" varchar(255) NOT NULL,
	"reason" varchar(500),
	"extra_data" json
);
--> statement-breakpoint
CREATE TABLE "error_logs" (
	"id" serial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"category" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"error_code" varchar(50),
	"error_message" text NOT NULL,
	"stack_trace" text,
	"endpoint" varchar(255),
	"user_id" varchar(255),
	"device_id" varchar(255),
	"context" json,
	"resolved" boolean DEFAULT false NOT NULL,
	"resolved_at" timestamp,
	"resolved_by" varchar(255)
);
--> statement-breakpoint
CREATE TABLE "job_outcomes" (
	"id" serial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"job_id" varchar(255) NOT NULL,
	"job_type" varchar(100),
	"device_id" varchar(255),
	"status" varchar(50) NOT NULL,
	"duration_ms" integer,
	"error_code" varchar(50),
	"error_message" text,
	"retry_count" integer DEFAULT 0 NOT NULL,
	"initiated_by" varchar(255),
	"extra_data" json
);
--> statement-breakpoint
CREATE TABLE "user_activities" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"user_id" varchar(255) NOT NULL,
	"session_id" varchar(255),
	"activity_type" varchar(50) NOT NULL,
	"page_url" varchar(500),
	"element_id" varchar(255),
	"search_query" text,
	"extra_data" json,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "app_state" (
	"key" varchar(100) PRIMARY KEY NOT NULL,
	"value" json,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_commands" (
	"id" serial PRIMARY KEY NOT NULL,
	"command_id" varchar(64) NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"command_type" varchar(50) NOT NULL,
	"payload" json,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"created_by" varchar(255),
	"job_id" varchar(100),
	"created_at" timestamp DEFAULT now() NOT NULL,
	"sent_at" timestamp,
	"acked_at" timestamp,
	"completed_at" timestamp,
	"expires_at" timestamp,
	"cancelled_at" timestamp,
	"result" json,
	"error_message" text,
	"delivery_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" varchar(100) NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"batch" integer DEFAULT 0 NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"command_id" varchar(64),
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_code" varchar(50),
	"error_message" text,
	"started_at" timestamp,
	"finished_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"event_type" varchar(50) NOT NULL,
	"description" text,
	"user_id" integer,
	"job_id" integer,
	"device_id" integer,
	"site_id" integer,
	"old_values" json,
	"new_values" json,
	"event_metadata" json,
	"ip_address" varchar(45),
	"user_agent" varchar(500)
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" serial PRIMARY KEY NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"name" varchar(100) NOT NULL,
	"device_type" varchar(50) NOT NULL,
	"status" varchar(20) DEFAULT 'offline' NOT NULL,
	"site_id" varchar(20) NOT NULL,
	"ip_address" varchar(45),
	"config" json,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_seen" timestamp,
	"segment" varchar(100) DEFAULT 'pos-terminals' NOT NULL,
	"is_simulated" boolean DEFAULT false NOT NULL,
	"config_version" varchar(50),
	"firmware_version" varchar(50),
	"api_key_hash" varchar(64),
	"api_key_prefix" varchar(24),
	"api_key_created_at" timestamp,
	"previous_api_key_hash" varchar(64),
	"previous_api_key_expires_at" timestamp,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_checks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" integer NOT NULL,
	"is_healthy" boolean NOT NULL,
	"response_time_ms" integer,
	"status_code" integer NOT NULL,
	"endpoint" varchar(200),
	"response_data" json,
	"error_message" text,
	"timestamp" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" varchar(100) NOT NULL,
	"action" varchar(100) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"priority" varchar(20) DEFAULT 'normal' NOT NULL,
	"site_id" integer,
	"segment" varchar(100),
	"payload" json,
	"config_url" varchar(500),
	"config_version" varchar(50),
	"error_message" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"completed_at" timestamp,
	"job_type" varchar(50) DEFAULT 'config_update' NOT NULL,
	"description" text,
	"created_by" integer,
	"device_ids" json,
	"scheduled_at" timestamp,
	"rollout" json,
	"started_at" timestamp,
	"claimed_by" varchar(100),
	"heartbeat_at" timestamp,
	"attempts" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"site_id" varchar(50) NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text,
	"location" varchar(200),
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"timezone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" varchar(50) NOT NULL,
	"email" varchar(100) NOT NULL,
	"hashed_password" varchar(255) NOT NULL,
	"api_key" varchar(255),
	"is_active" boolean DEFAULT true NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"full_name" varchar(100),
	"role" varchar(20) DEFAULT 'viewer' NOT NULL,
	"last_login_at" timestamp,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("resolved","created_at");--> statement-breakpoint
CREATE INDEX "alerts_fingerprint_idx" ON "alerts" USING btree ("fingerprint","resolved");--> statement-breakpoint
CREATE INDEX "alerts_device_idx" ON "alerts" USING btree ("device_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_request_rollups_pk" ON "api_request_rollups" USING btree ("bucket","route","method","bucket_start");--> statement-breakpoint
CREATE INDEX "api_request_rollups_start_idx" ON "api_request_rollups" USING btree ("bucket","bucket_start");--> statement-breakpoint
CREATE INDEX "configuration_history_entity_ts_idx" ON "configuration_history" USING btree ("entity_type","entity_id","timestamp");--> statement-breakpoint
CREATE INDEX "configuration_history_ts_idx" ON "configuration_history" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "configuration_history_pending_eval_idx" ON "configuration_history" USING btree ("evaluate_after");--> statement-breakpoint
CREATE UNIQUE INDEX "device_metric_rollups_pk" ON "device_metric_rollups" USING btree ("bucket","device_id","bucket_start");--> statement-breakpoint
CREATE INDEX "device_metric_rollups_site_idx" ON "device_metric_rollups" USING btree ("bucket","site_id","bucket_start");--> statement-breakpoint
CREATE INDEX "device_metric_rollups_start_idx" ON "device_metric_rollups" USING btree ("bucket","bucket_start");--> statement-breakpoint
CREATE INDEX "device_metrics_device_ts_idx" ON "device_metrics" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "device_metrics_ts_idx" ON "device_metrics" USING btree ("timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "site_operating_schedules_site_day_uq" ON "site_operating_schedules" USING btree ("site_id","day_of_week");--> statement-breakpoint
CREATE INDEX "api_request_logs_ts_idx" ON "api_request_logs" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_endpoint_ts_idx" ON "api_request_logs" USING btree ("endpoint","timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_user_ts_idx" ON "api_request_logs" USING btree ("user_id","timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_status_ts_idx" ON "api_request_logs" USING btree ("status_code","timestamp");--> statement-breakpoint
CREATE INDEX "device_state_history_device_ts_idx" ON "device_state_history" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "device_state_history_ts_idx" ON "device_state_history" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_ts_idx" ON "error_logs" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_category_ts_idx" ON "error_logs" USING btree ("category","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_severity_ts_idx" ON "error_logs" USING btree ("severity","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_device_ts_idx" ON "error_logs" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_resolved_ts_idx" ON "error_logs" USING btree ("resolved","timestamp");--> statement-breakpoint
CREATE INDEX "job_outcomes_ts_idx" ON "job_outcomes" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "job_outcomes_job_idx" ON "job_outcomes" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "job_outcomes_device_ts_idx" ON "job_outcomes" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "job_outcomes_status_ts_idx" ON "job_outcomes" USING btree ("status","timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_ts_idx" ON "user_activities" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_user_ts_idx" ON "user_activities" USING btree ("user_id","timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_type_ts_idx" ON "user_activities" USING btree ("activity_type","timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "device_commands_command_id_uq" ON "device_commands" USING btree ("command_id");--> statement-breakpoint
CREATE INDEX "device_commands_device_status_idx" ON "device_commands" USING btree ("device_id","status","created_at");--> statement-breakpoint
CREATE INDEX "device_commands_job_idx" ON "device_commands" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "device_commands_status_expires_idx" ON "device_commands" USING btree ("status","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_devices_job_device_uq" ON "job_devices" USING btree ("job_id","device_id");--> statement-breakpoint
CREATE INDEX "job_devices_status_idx" ON "job_devices" USING btree ("status");--> statement-breakpoint
CREATE INDEX "audit_logs_created_idx" ON "audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_event_created_idx" ON "audit_logs" USING btree ("event_type","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_user_created_idx" ON "audit_logs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_device_created_idx" ON "audit_logs" USING btree ("device_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_device_id_uq" ON "devices" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "devices_site_idx" ON "devices" USING btree ("site_id","is_active");--> statement-breakpoint
CREATE INDEX "devices_status_idx" ON "devices" USING btree ("status");--> statement-breakpoint
CREATE INDEX "devices_last_seen_idx" ON "devices" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "health_checks_device_ts_idx" ON "health_checks" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "health_checks_ts_idx" ON "health_checks" USING btree ("timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_job_id_uq" ON "jobs" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "jobs_status_sched_idx" ON "jobs" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "jobs_site_created_idx" ON "jobs" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "jobs_created_idx" ON "jobs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_site_id_uq" ON "sites" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));