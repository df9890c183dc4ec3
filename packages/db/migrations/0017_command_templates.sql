CREATE TABLE "command_templates" (
	"id" serial PRIMARY KEY NOT NULL,
	"template_id" varchar(64) NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text,
	"command_type" varchar(50) NOT NULL,
	"payload" json NOT NULL,
	"parameters" json NOT NULL,
	"created_by" varchar(255),
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "command_templates_template_id_uq" ON "command_templates" USING btree ("template_id");--> statement-breakpoint
CREATE UNIQUE INDEX "command_templates_name_uq" ON "command_templates" USING btree ("name");--> statement-breakpoint
CREATE INDEX "command_templates_type_idx" ON "command_templates" USING btree ("command_type");--> statement-breakpoint
CREATE INDEX "device_commands_created_idx" ON "device_commands" USING btree ("created_at");