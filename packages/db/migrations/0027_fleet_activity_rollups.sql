CREATE TABLE "fleet_activity_rollups" (
	"bucket" varchar(8) NOT NULL,
	"bucket_start" timestamp NOT NULL,
	"site_id" varchar(50) NOT NULL,
	"devices_reporting" integer NOT NULL,
	"devices_unhealthy" integer NOT NULL,
	"errors" integer NOT NULL,
	"transactions" double precision NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "fleet_activity_rollups_bucket_bucket_start_site_id_pk" PRIMARY KEY("bucket","bucket_start","site_id"),
	CONSTRAINT "fleet_activity_rollups_bucket_ck" CHECK (bucket in ('hour', 'day'))
);
