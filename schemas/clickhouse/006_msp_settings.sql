-- Settings each MSP manages through the API, one document per kind:
-- 'detection' (rule parameters, suppressions, countries, trusted ranges) as
-- JSON; 'notification' (targets and routes, which hold webhook URLs, tokens
-- and passwords) sealed with AES-256-GCM. The newest version wins.
CREATE TABLE IF NOT EXISTS msp_settings
(
    msp_id LowCardinality(String),
    kind LowCardinality(String),
    document String,
    updated_by String,
    updated_time DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (msp_id, kind);
