-- Two more read paths over signins, besides its own (msp, tenant, user, time)
-- order that serves a user's history.
--
-- 1. IP pivots ("every sign-in from this address, in any tenant of the MSP")
--    read the projection signins_by_ip, a second copy of the analyst-facing
--    columns sorted by (msp_id, src_ip_address, time). A projection rather than
--    a materialized view into a second table: the engine keeps it in the same
--    parts as the rows, so it is inserted, merged, deduplicated, TTL-dropped and
--    deleted together with them, and the optimizer picks it by itself for a
--    query that filters on the IP and reads only its columns. ReplacingMergeTree
--    refuses projections unless told what a deduplicating merge does to them:
--    'rebuild' rebuilds the projection of the merged part from its surviving
--    rows ('drop' would leave merged parts, i.e. most of the history, without
--    one). Lightweight DELETE (a tenant's off-boarding) gets the same mode.
--    `raw` and the rarely read ids are left out because they are most of the
--    bytes; a query that selects a column the projection lacks falls back to
--    the table's own order, which for an IP filter is a full scan of the MSP.
--    Projections are not used with FINAL: IP queries deduplicate replays with
--    LIMIT 1 BY event_id instead.
--
-- 2. The dashboard aggregate signins_hourly: sign-ins per MSP, tenant, hour,
--    status and country, filled by signins_hourly_mv on every insert into
--    signins. A materialized view sees inserted blocks, not the table after
--    ReplacingMergeTree folds a replayed message, so a sum or count() would
--    count every replay again and never correct it. The counts are therefore
--    uniqExact states of the event id's 64-bit hash: a replay adds a hash the
--    set already holds, so sign_ins stays exact (up to a 64-bit collision)
--    whatever is replayed. The price is 8 bytes per sign-in kept in the
--    aggregate, about the size of the event_id column compressed. Distinct
--    users are uniq states (exact in practice up to 65,536 users per merged
--    group, approximate beyond). Read with
--    uniqExactMerge(sign_ins) and uniqMerge(users) grouped by what is shown.

ALTER TABLE signins MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild', lightweight_mutation_projection_mode = 'rebuild';

ALTER TABLE signins ADD PROJECTION IF NOT EXISTS signins_by_ip
(
    SELECT
        msp_id,
        src_ip_address,
        time,
        tenant_id,
        event_id,
        ingest_time,
        user_name,
        user_display_name,
        is_interactive,
        status,
        status_code,
        status_detail,
        app_name,
        resource_name,
        src_ip,
        src_country,
        src_region,
        src_city,
        client_app,
        is_legacy_auth,
        user_agent,
        device_name,
        device_os,
        device_browser,
        device_is_compliant,
        device_is_managed,
        risk_level_during,
        risk_level_aggregated,
        conditional_access_status
    ORDER BY (msp_id, src_ip_address, time)
);

-- Builds the projection for parts written before this migration; a mutation
-- that runs in the background on a server. Running it again rebuilds the same.
ALTER TABLE signins MATERIALIZE PROJECTION signins_by_ip;

CREATE TABLE IF NOT EXISTS signins_hourly
(
    msp_id LowCardinality(String),
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    status LowCardinality(String),
    src_country LowCardinality(String) COMMENT 'empty when the sign-in had no country',
    sign_ins AggregateFunction(uniqExact, UInt64) COMMENT 'set of cityHash64(event_id): replays count once',
    users AggregateFunction(uniq, String) COMMENT 'distinct user_name'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (msp_id, tenant_id, hour, status, src_country)
TTL hour + INTERVAL 400 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS signins_hourly_mv TO signins_hourly AS
SELECT
    msp_id,
    tenant_id,
    toDateTime(toStartOfHour(time), 'UTC') AS hour,
    status,
    ifNull(src_country, '') AS src_country,
    uniqExactState(cityHash64(event_id)) AS sign_ins,
    uniqState(user_name) AS users
FROM signins
GROUP BY msp_id, tenant_id, hour, status, src_country;

-- Sign-ins written before the view existed. The view is created first so no
-- insert falls between the two; a row both paths see, or a second run of this
-- statement, adds hashes the sets already hold and changes no count.
INSERT INTO signins_hourly
SELECT
    msp_id,
    tenant_id,
    toDateTime(toStartOfHour(time), 'UTC') AS hour,
    status,
    ifNull(src_country, '') AS src_country,
    uniqExactState(cityHash64(event_id)) AS sign_ins,
    uniqState(user_name) AS users
FROM signins
GROUP BY msp_id, tenant_id, hour, status, src_country;
