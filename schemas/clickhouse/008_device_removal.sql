-- A device the collector no longer sees arrives as a device change of kind
-- 'removed'. The sink then writes the device's last state into devices again,
-- with removed set and the change's time as its version, so the removal is the
-- newest state and replaces the device under FINAL; a later snapshot of the
-- same device (re-enrolled) is newer still and brings it back with removed
-- false. Readers of the current state filter on NOT removed after FINAL.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS removed Bool DEFAULT false;

ALTER TABLE devices ADD COLUMN IF NOT EXISTS removed_time Nullable(DateTime64(3, 'UTC'));
