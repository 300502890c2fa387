import { allowSchemaParsingWithoutDatabaseUrl, requireDatabaseUrl, UNSET_DATABASE_URL_PLACEHOLDER } from './database-url';

describe('requireDatabaseUrl', () => {
  const url = 'postgresql://u:p@127.0.0.1:5432/db';

  it('returns the variable, trimmed', () => {
    expect(requireDatabaseUrl({ DATABASE_URL: ` ${url}\n` })).toBe(url);
  });

  it.each([{}, { DATABASE_URL: '' }, { DATABASE_URL: '   ' }])('names DATABASE_URL when it is missing (%p)', (env) => {
    expect(() => requireDatabaseUrl(env)).toThrow(/^DATABASE_URL is not set/);
  });

  it('treats the schema-parsing placeholder as missing', () => {
    expect(() => requireDatabaseUrl({ DATABASE_URL: UNSET_DATABASE_URL_PLACEHOLDER })).toThrow(/DATABASE_URL is not set/);
  });
});

describe('allowSchemaParsingWithoutDatabaseUrl', () => {
  it('fills in the placeholder only when the variable is unset', () => {
    const unset: NodeJS.ProcessEnv = {};
    allowSchemaParsingWithoutDatabaseUrl(unset);
    expect(unset.DATABASE_URL).toBe(UNSET_DATABASE_URL_PLACEHOLDER);

    const set: NodeJS.ProcessEnv = { DATABASE_URL: 'postgresql://real/db' };
    allowSchemaParsingWithoutDatabaseUrl(set);
    expect(set.DATABASE_URL).toBe('postgresql://real/db');
  });

  it('uses a host that can never resolve', () => {
    expect(new URL(UNSET_DATABASE_URL_PLACEHOLDER).hostname).toMatch(/\.invalid$/);
  });
});
