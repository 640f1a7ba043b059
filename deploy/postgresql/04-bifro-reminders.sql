-- Durable reminders, keyed by ServiceId; grain_hash lets each silo load the reminders of its ring range.
CREATE TABLE IF NOT EXISTS bifro_reminders
(
    service_id    varchar(150) NOT NULL,
    grain_id      text         NOT NULL,
    reminder_name varchar(150) NOT NULL,
    grain_hash    bigint       NOT NULL,
    start_at      timestamptz(3) NOT NULL,
    period_ms     bigint       NOT NULL,
    etag          bigint       NOT NULL,
    CONSTRAINT pk_bifro_reminders PRIMARY KEY (service_id, grain_id, reminder_name)
);
