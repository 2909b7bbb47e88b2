-- History of every normalized event. One row per event id: tables are
-- ReplacingMergeTree keyed on the event id's place in the sort key, so a
-- replayed message never leaves a second row after merges, and queries that
-- must be exact before a merge read with FINAL.
-- Times are UTC DateTime64(3); columns are named as in schemas/avro.

CREATE TABLE IF NOT EXISTS signins
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    ingest_time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    user_uid String,
    user_name String,
    user_display_name Nullable(String),
    is_interactive Bool,
    status LowCardinality(String),
    status_code UInt32,
    status_detail Nullable(String),
    app_uid Nullable(String),
    app_name LowCardinality(Nullable(String)),
    resource_uid Nullable(String),
    resource_name LowCardinality(Nullable(String)),
    src_ip Nullable(String),
    src_ip_address IPv6 MATERIALIZED toIPv6OrDefault(ifNull(src_ip, '')),
    src_country LowCardinality(Nullable(String)),
    src_region LowCardinality(Nullable(String)),
    src_city LowCardinality(Nullable(String)),
    src_lat Nullable(Float64),
    src_lon Nullable(Float64),
    client_app LowCardinality(Nullable(String)),
    is_legacy_auth Bool,
    user_agent Nullable(String),
    device_uid Nullable(String),
    device_name Nullable(String),
    device_os LowCardinality(Nullable(String)),
    device_browser LowCardinality(Nullable(String)),
    device_is_compliant Nullable(Bool),
    device_is_managed Nullable(Bool),
    device_trust_type LowCardinality(Nullable(String)),
    risk_level_during LowCardinality(Nullable(String)),
    risk_level_aggregated LowCardinality(Nullable(String)),
    risk_state LowCardinality(Nullable(String)),
    risk_detail LowCardinality(Nullable(String)),
    risk_event_types Array(LowCardinality(String)),
    conditional_access_status LowCardinality(Nullable(String)),
    correlation_id Nullable(String),
    session_id Nullable(String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(ingest_time)
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, tenant_id, user_name, time, event_id)
TTL toDateTime(time) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS directory_audits
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    ingest_time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    activity LowCardinality(String),
    category LowCardinality(Nullable(String)),
    operation_type LowCardinality(Nullable(String)),
    result LowCardinality(String),
    result_reason Nullable(String),
    logged_by_service LowCardinality(Nullable(String)),
    correlation_id Nullable(String),
    actor_user_uid Nullable(String),
    actor_user_name Nullable(String),
    actor_ip Nullable(String),
    actor_app_uid Nullable(String),
    actor_app_name Nullable(String),
    targets String COMMENT 'JSON array of targets with their modified properties',
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(ingest_time)
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, tenant_id, time, event_id)
TTL toDateTime(time) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS audit_records
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    ingest_time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    content_type LowCardinality(String),
    record_type UInt16,
    operation LowCardinality(String),
    workload LowCardinality(String),
    user_id String,
    user_key Nullable(String),
    user_type Nullable(Int32),
    src_ip Nullable(String),
    result_status LowCardinality(Nullable(String)),
    object_id Nullable(String),
    fields Map(String, String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(ingest_time)
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, tenant_id, time, event_id)
TTL toDateTime(time) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS users
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    user_uid String,
    user_name String,
    user_display_name Nullable(String),
    account_enabled Bool,
    user_type LowCardinality(Nullable(String)),
    licence_sku_ids Array(LowCardinality(String)),
    created_time Nullable(DateTime64(3, 'UTC')),
    last_sign_in_time Nullable(DateTime64(3, 'UTC')),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(time)
ORDER BY (msp_id, tenant_id, user_uid);

CREATE TABLE IF NOT EXISTS devices
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    device_uid String,
    device_name Nullable(String),
    user_name Nullable(String),
    os LowCardinality(Nullable(String)),
    os_version LowCardinality(Nullable(String)),
    compliance_state LowCardinality(String),
    last_sync_time Nullable(DateTime64(3, 'UTC')),
    enrolled_time Nullable(DateTime64(3, 'UTC')),
    is_encrypted Nullable(Bool),
    jail_broken LowCardinality(Nullable(String)),
    owner_type LowCardinality(Nullable(String)),
    azure_ad_device_uid Nullable(String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(time)
ORDER BY (msp_id, tenant_id, device_uid);

CREATE TABLE IF NOT EXISTS device_changes
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    change LowCardinality(String),
    previous_value Nullable(String),
    current_value Nullable(String),
    device_uid String,
    device_name Nullable(String),
    user_name Nullable(String),
    os LowCardinality(Nullable(String)),
    os_version LowCardinality(Nullable(String)),
    compliance_state LowCardinality(String),
    last_sync_time Nullable(DateTime64(3, 'UTC')),
    enrolled_time Nullable(DateTime64(3, 'UTC')),
    is_encrypted Nullable(Bool),
    jail_broken LowCardinality(Nullable(String)),
    owner_type LowCardinality(Nullable(String)),
    azure_ad_device_uid Nullable(String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(ingest_time)
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, tenant_id, device_uid, time, event_id);

CREATE TABLE IF NOT EXISTS subscriptions
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    subscription_uid String,
    offer_uid Nullable(String),
    offer_name Nullable(String),
    friendly_name Nullable(String),
    quantity Int32,
    status LowCardinality(String),
    commitment_end_time Nullable(DateTime64(3, 'UTC')),
    auto_renew Nullable(Bool),
    billing_cycle LowCardinality(Nullable(String)),
    term_duration LowCardinality(Nullable(String)),
    is_trial Bool,
    suspension_reasons Array(String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(time)
ORDER BY (msp_id, tenant_id, subscription_uid);

CREATE TABLE IF NOT EXISTS subscription_changes
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    change LowCardinality(String),
    previous_value Nullable(String),
    current_value Nullable(String),
    subscription_uid String,
    offer_uid Nullable(String),
    offer_name Nullable(String),
    friendly_name Nullable(String),
    quantity Int32,
    status LowCardinality(String),
    commitment_end_time Nullable(DateTime64(3, 'UTC')),
    auto_renew Nullable(Bool),
    billing_cycle LowCardinality(Nullable(String)),
    term_duration LowCardinality(Nullable(String)),
    is_trial Bool,
    suspension_reasons Array(String),
    raw String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(ingest_time)
ORDER BY (msp_id, tenant_id, subscription_uid, time, event_id);

CREATE TABLE IF NOT EXISTS tenant_capabilities
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    source LowCardinality(String),
    event_id String,
    time DateTime64(3, 'UTC'),
    ingest_time DateTime64(3, 'UTC'),
    feed LowCardinality(String),
    available Bool,
    reason Nullable(String),
    licence_sku_part_numbers Array(LowCardinality(String))
)
ENGINE = ReplacingMergeTree(time)
ORDER BY (msp_id, tenant_id, feed);

CREATE TABLE IF NOT EXISTS dead_letters
(
    msp_id LowCardinality(String),
    tenant_id Nullable(String),
    source LowCardinality(String),
    stage LowCardinality(String),
    reason String,
    time DateTime64(3, 'UTC'),
    payload String CODEC(ZSTD(3)),
    location Nullable(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (msp_id, time)
TTL toDateTime(time) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS alerts
(
    alert_id String,
    revision UInt32,
    msp_id LowCardinality(String),
    tenant_id Nullable(String),
    tenant_ids Array(String),
    rule_id LowCardinality(String),
    rule_name LowCardinality(String),
    severity LowCardinality(String),
    mitre_techniques Array(LowCardinality(String)),
    entity_type LowCardinality(String),
    entity_id String,
    summary String,
    first_seen DateTime64(3, 'UTC'),
    last_seen DateTime64(3, 'UTC'),
    event_count UInt32,
    event_ids Array(String),
    users Array(String),
    ips Array(String),
    countries Array(LowCardinality(String)),
    details Map(String, String),
    created_time DateTime64(3, 'UTC'),
    updated_time DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(revision)
ORDER BY (msp_id, alert_id);
