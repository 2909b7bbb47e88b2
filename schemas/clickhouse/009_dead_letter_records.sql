-- Dead letters keyed by what they hold, so a replayed topic (which sends the
-- same messages to the dead letters again) leaves one row per letter under
-- FINAL, like every event table. dead_letters (migration 001) had no key and
-- kept each copy; it is no longer written, its rows are copied here, and its
-- 90-day TTL empties it.
--
-- letter_id hashes where the message was (topic/partition/offset, when the
-- stage knows it), the stage and source that gave it up, and its payload:
-- the same message given up at the same place is the same letter.
CREATE TABLE IF NOT EXISTS dead_letter_records
(
    msp_id LowCardinality(String),
    tenant_id Nullable(String),
    source LowCardinality(String),
    stage LowCardinality(String),
    reason String,
    time DateTime64(3, 'UTC'),
    payload String CODEC(ZSTD(3)),
    location Nullable(String),
    letter_id UInt64 MATERIALIZED cityHash64(source, stage, ifNull(location, ''), payload)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, letter_id)
TTL toDateTime(time) + INTERVAL 90 DAY;

-- A second run copies the same rows again, which fold like a replay.
INSERT INTO dead_letter_records (msp_id, tenant_id, source, stage, reason, time, payload, location)
SELECT msp_id, tenant_id, source, stage, reason, time, payload, location
FROM dead_letters;
