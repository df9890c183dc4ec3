CREATE TABLE "ask_queries" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"user_id" integer,
	"question" text NOT NULL,
	"intent" varchar(50) NOT NULL,
	"engine" varchar(20) NOT NULL,
	"answered" boolean NOT NULL,
	"trust_level" varchar(20) NOT NULL,
	"answer" text NOT NULL,
	"site_id" varchar(50),
	"device_id" varchar(255),
	"duration_ms" integer NOT NULL,
	"citations" json
);
--> statement-breakpoint
ALTER TABLE "ask_queries" ADD CONSTRAINT "ask_queries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ask_queries_user_ts_idx" ON "ask_queries" USING btree ("user_id","created_at");