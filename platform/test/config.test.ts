import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Joi from 'joi';
import { ConfigError, configFields, loadConfig } from '../src/index.js';

interface DemoConfig {
  NODE_ENV: string;
  PORT: number;
  LOG_LEVEL: string;
  REDIS_URL: string;
  APP_API_TOKEN: string | undefined;
}

const schema = Joi.object<DemoConfig>({
  NODE_ENV: configFields.nodeEnv(),
  PORT: configFields.port(3005),
  LOG_LEVEL: configFields.logLevel(),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis'] })
    .required(),
  APP_API_TOKEN: configFields.appApiToken(),
});

describe('loadConfig', () => {
  it('applies defaults, converts numbers, and ignores variables the schema does not declare', () => {
    const config = loadConfig('demo', schema, {
      PORT: '4100',
      REDIS_URL: 'redis://127.0.0.1:6379',
      APP_API_TOKEN: '',
      PATH: '/usr/bin',
    });
    assert.deepEqual(config, {
      NODE_ENV: 'development',
      PORT: 4100,
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PATH: '/usr/bin',
    });
  });

  it('names the service and every bad variable in one error', () => {
    assert.throws(
      () =>
        loadConfig('demo', schema, { PORT: 'eighty', LOG_LEVEL: 'loud', APP_API_TOKEN: 'short' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^invalid demo configuration: /);
        assert.deepEqual(error.variables, ['PORT', 'LOG_LEVEL', 'REDIS_URL', 'APP_API_TOKEN']);
        return true;
      },
    );
  });
});
