-- docker-compose.yml, development only: the role the application connects
-- as (ADR 009). POSTGRES_USER (cleanstation) owns the schema and runs the
-- migrations; `cleanstation migrate` grants this role what it may do:
-- append-only on the records, no DDL. The password is development's own.
CREATE ROLE cleanstation_app LOGIN PASSWORD 'cleanstation_app';
