-- Tenants onboarded through the API: the app registration consented in each,
-- its secret sealed with AES-256-GCM under security.encryptionKey (bound to
-- the MSP and tenant). The newest version of a tenant (an update or an
-- off-boarding) replaces the older ones.
CREATE TABLE IF NOT EXISTS tenant_registrations
(
    msp_id LowCardinality(String),
    tenant_id String,
    domain Nullable(String),
    display_name Nullable(String),
    client_id String,
    client_secret_sealed String,
    removed Bool,
    updated_time DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (msp_id, tenant_id);
