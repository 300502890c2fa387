// The Prisma CLI reads its connection string from the environment only (prisma.config.ts turns off .env loading),
// so a missing variable must stop it with a message that names the variable, not a driver error about "localhost".

export const DATABASE_URL_VARIABLE = 'DATABASE_URL';

// `.invalid` never resolves (RFC 2606), so nothing can ever connect through the placeholder by mistake.
export const UNSET_DATABASE_URL_PLACEHOLDER = 'postgresql://database-url-is-not-set.invalid/unset';

export function requireDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env[DATABASE_URL_VARIABLE]?.trim();
  if (!value || value === UNSET_DATABASE_URL_PLACEHOLDER) {
    throw new Error(
      `${DATABASE_URL_VARIABLE} is not set: export it before running Prisma, ` +
        `e.g. ${DATABASE_URL_VARIABLE}=postgresql://apitopmix:apitopmix@127.0.0.1:55432/apitopmix`,
    );
  }
  return value;
}

/**
 * Prisma 6.19's CLI evaluates the schema's env("DATABASE_URL") at start-up to learn the generator's engineType; when
 * the variable is missing it quietly assumes the native "library" engine and tries to download it, so even
 * `prisma generate` (which needs no database) fails offline. An unset variable gets a placeholder that only lets the
 * schema parse; requireDatabaseUrl() still refuses it, so every command that connects fails with the message above.
 */
export function allowSchemaParsingWithoutDatabaseUrl(env: NodeJS.ProcessEnv = process.env): void {
  if (!env[DATABASE_URL_VARIABLE]?.trim()) env[DATABASE_URL_VARIABLE] = UNSET_DATABASE_URL_PLACEHOLDER;
}
