-- The health of each collector feed of each tenant, as the collectors report
-- it (schemas/avro/feed-health.avsc): a status, not history. One row per
-- tenant and feed under FINAL, the newest report winning on its report time,
-- so a replayed report or an older one arriving late never replaces a newer.
-- A feed no collector reports any more (an off-boarded tenant) ages out.
CREATE TABLE IF NOT EXISTS feed_health
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    feed LowCardinality(String),
    status LowCardinality(String),
    last_success_time Nullable(DateTime64(3, 'UTC')),
    last_attempt_time DateTime64(3, 'UTC'),
    last_error_code LowCardinality(Nullable(String)),
    last_error Nullable(String),
    consecutive_failures UInt32,
    caught_up Bool,
    read_through_time Nullable(DateTime64(3, 'UTC'))
)
ENGINE = ReplacingMergeTree(time)
ORDER BY (msp_id, tenant_id, feed)
TTL toDateTime(time) + INTERVAL 90 DAY;
