CREATE TABLE "push_notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"message_id" varchar(64) NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"title" varchar(200) NOT NULL,
	"body" text NOT NULL,
	"data" json,
	"ttl_s" integer NOT NULL,
	"status" varchar(20) DEFAULT 'sent' NOT NULL,
	"created_by" varchar(100),
	"sent_at" timestamp DEFAULT now() NOT NULL,
	"expires_at" timestamp NOT NULL,
	"fetched_at" timestamp,
	"received_at" timestamp,
	"acked_at" timestamp,
	"latency_ms" integer,
	"error_message" text,
	"acked_by" varchar(100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "push_notifications_message_id_uq" ON "push_notifications" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "push_notifications_device_idx" ON "push_notifications" USING btree ("device_id","sent_at");