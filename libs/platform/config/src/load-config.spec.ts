import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { port, brokers } from './common-env';

const schema = z.object({ PORT: port.default(8080), KAFKA_BROKERS: brokers, API_KEY: z.string().min(10) });

describe('loadConfig', () => {
  it('parses and coerces valid variables, applying defaults', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'a:1,b:2', API_KEY: '0123456789' });
    expect(config).toEqual({ PORT: 8080, KAFKA_BROKERS: ['a:1', 'b:2'], API_KEY: '0123456789' });
  });

  it('names every bad variable, and never prints a secret', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', KAFKA_BROKERS: 'nope', API_KEY: 'short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/PORT: .*got "eighty"/);
    expect(message).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(message).toMatch(/API_KEY: .*got "\*\*\*"/);
    expect(message).not.toContain('short');
  });

  it('treats empty strings as unset', () => {
    expect(() => loadConfig(schema, { KAFKA_BROKERS: '', API_KEY: '0123456789' })).toThrow(/KAFKA_BROKERS: .*not set/);
  });
});
