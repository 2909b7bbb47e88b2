-- Every attempt of the notifier to deliver a notification: the delivery record
-- the API shows. Replayed messages collapse on (msp, delivery, attempt).
CREATE TABLE IF NOT EXISTS notification_deliveries
(
    delivery_id String,
    attempt UInt32,
    msp_id LowCardinality(String),
    tenant_ids Array(String),
    alert_ids Array(String),
    rule_ids Array(LowCardinality(String)),
    severity LowCardinality(String),
    channel LowCardinality(String),
    target LowCardinality(String),
    status LowCardinality(String),
    provider_status Nullable(UInt16),
    provider_response String CODEC(ZSTD(3)),
    error Nullable(String),
    repeated Bool,
    time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, delivery_id, attempt)
TTL toDateTime(time) + INTERVAL 400 DAY;
