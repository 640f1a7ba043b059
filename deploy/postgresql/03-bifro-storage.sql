-- Bifro's grain storage: state and collections keyed by ServiceId (the boundary of stored data), grain
-- type and key. The etag is a version that every write advances; writes are compare-and-swaps on it.
CREATE TABLE IF NOT EXISTS bifro_grain_state
(
    service_id   varchar(150) NOT NULL,
    grain_type   varchar(256) NOT NULL,
    grain_key    text         NOT NULL,
    state_name   varchar(256) NOT NULL,
    etag         bigint       NOT NULL,
    payload      bytea        NULL,
    modified_at  timestamptz(3) NOT NULL DEFAULT now(),
    CONSTRAINT pk_bifro_grain_state PRIMARY KEY (service_id, grain_type, grain_key, state_name)
);

CREATE TABLE IF NOT EXISTS bifro_grain_items
(
    service_id   varchar(150) NOT NULL,
    grain_type   varchar(256) NOT NULL,
    grain_key    text         NOT NULL,
    collection   varchar(256) NOT NULL,
    item_key     text         NOT NULL,
    payload      bytea        NOT NULL,
    CONSTRAINT pk_bifro_grain_items PRIMARY KEY (service_id, grain_type, grain_key, collection, item_key)
);
