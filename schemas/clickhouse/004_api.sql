-- API keys per MSP: only the SHA-256 of each key's secret is kept. The newest
-- version of a key (a revocation) replaces the older ones.
CREATE TABLE IF NOT EXISTS api_keys
(
    key_id String,
    msp_id LowCardinality(String),
    role LowCardinality(String),
    name String,
    secret_sha256 String,
    revoked Bool,
    created_time DateTime64(3, 'UTC') DEFAULT now64(3),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY key_id;

-- What analysts did with alerts (acknowledge, assign, close, reopen); an
-- alert's state is its latest action.
CREATE TABLE IF NOT EXISTS alert_actions
(
    msp_id LowCardinality(String),
    alert_id String,
    action LowCardinality(String),
    assignee Nullable(String),
    comment Nullable(String),
    actor_key_id String,
    time DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (msp_id, alert_id, time);
