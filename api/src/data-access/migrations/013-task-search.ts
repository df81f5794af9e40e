import type { MigrationFn } from 'umzug';
import type { QueryInterface } from 'sequelize';

/**
 * ADR 241. Task search matches words in any order, ignoring case, accents and punctuation:
 * a stored text-search vector of title and description, unaccented, with the `simple`
 * configuration (no stemming or stop words: titles are short and in any language), and a GIN
 * index on it. `unaccent` is a trusted contrib extension (the database owner may create it);
 * it is STABLE, so a generated column needs an IMMUTABLE wrapper naming its dictionary.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
    CREATE OR REPLACE FUNCTION public.immutable_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
    ALTER TABLE tasks ADD COLUMN search tsvector GENERATED ALWAYS AS (
      to_tsvector('simple', public.immutable_unaccent(title || ' ' || coalesce(description, '')))
    ) STORED;
    CREATE INDEX tasks_search_idx ON tasks USING gin (search);
  `);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.query(`
    DROP INDEX IF EXISTS tasks_search_idx;
    ALTER TABLE tasks DROP COLUMN IF EXISTS search;
    DROP FUNCTION IF EXISTS public.immutable_unaccent(text);
  `);
};
