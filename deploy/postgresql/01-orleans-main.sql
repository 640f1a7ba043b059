-- Orleans' ADO.NET main script: the table from which silos load every query at start, by key.
-- Idempotent: `bifro migrate` (or Bifro:Cluster:Postgres:MigrateOnStart) runs every file in order.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY(QueryKey)
);
