import { withDatabase } from './shadow-database';

describe('withDatabase', () => {
  it('replaces only the database, keeping credentials, host, port and parameters', () => {
    expect(withDatabase('postgresql://u:p%40ss@127.0.0.1:55432/apitopmix?sslmode=disable', 'prisma_shadow_1')).toBe(
      'postgresql://u:p%40ss@127.0.0.1:55432/prisma_shadow_1?sslmode=disable',
    );
  });

  it('adds a database to a URL that had none', () => {
    expect(withDatabase('postgresql://u:p@localhost:5432', 'shadow')).toBe('postgresql://u:p@localhost:5432/shadow');
  });
});
