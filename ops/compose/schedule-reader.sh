#!/bin/sh
# docker-compose: creates the role the workers' reconciler reads schedule_view with (first
# start of the postgres volume only). Migration 008 grants it SELECT on that view.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v password="$SCHEDULE_READER_PASSWORD" <<'SQL'
CREATE ROLE todo_schedule_reader LOGIN PASSWORD :'password';
SQL
