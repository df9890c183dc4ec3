CREATE TABLE "live_anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" varchar(255) NOT NULL,
	"metric" varchar(50) NOT NULL,
	"at" timestamp NOT NULL,
	"value" double precision NOT NULL,
	"expected" double precision NOT NULL,
	"expected_low" double precision NOT NULL,
	"expected_high" double precision NOT NULL,
	"score" double precision NOT NULL,
	"z" double precision NOT NULL,
	"basis" varchar(20) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "live_anomalies_device_metric_at_uq" ON "live_anomalies" USING btree ("device_id","metric","at");--> statement-breakpoint
CREATE INDEX "live_anomalies_at_idx" ON "live_anomalies" USING btree ("at");