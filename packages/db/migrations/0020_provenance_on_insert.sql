-- Rows about a simulated device are `simulated` from the moment they are written, whichever code path writes
-- them (job outcomes, error logs, configuration history), unless the writer chose a provenance itself.
CREATE OR REPLACE FUNCTION homepot_provenance_by_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.provenance = 'real' AND NEW.device_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM devices d WHERE d.device_id = NEW.device_id AND d.is_simulated) THEN
    NEW.provenance := 'simulated';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION homepot_provenance_by_entity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.provenance = 'real' AND NEW.entity_type = 'device'
     AND EXISTS (SELECT 1 FROM devices d WHERE d.device_id = NEW.entity_id AND d.is_simulated) THEN
    NEW.provenance := 'simulated';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER job_outcomes_provenance BEFORE INSERT ON job_outcomes
  FOR EACH ROW EXECUTE FUNCTION homepot_provenance_by_device();
--> statement-breakpoint
CREATE TRIGGER error_logs_provenance BEFORE INSERT ON error_logs
  FOR EACH ROW EXECUTE FUNCTION homepot_provenance_by_device();
--> statement-breakpoint
CREATE TRIGGER configuration_history_provenance BEFORE INSERT ON configuration_history
  FOR EACH ROW EXECUTE FUNCTION homepot_provenance_by_entity();
