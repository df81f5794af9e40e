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

describe('configFields.mail', () => {
  const mail = Joi.object({
    NODE_ENV: configFields.nodeEnv(),
    ...configFields.mail('"Dev" <dev@todo.localhost>'),
  });

  it('logs mail in development unless an SMTP URL is given', () => {
    assert.deepEqual(loadConfig('mailer', mail, {}), {
      NODE_ENV: 'development',
      MAIL_TRANSPORT: 'log',
      MAIL_FROM: '"Dev" <dev@todo.localhost>',
    });
    const smtp = loadConfig('mailer', mail, { SMTP_URL: 'smtp://127.0.0.1:2525' });
    assert.equal(smtp.MAIL_TRANSPORT, 'smtp');
  });

  it('in production, asks for the SMTP URL and the sender, and names a malformed sender', () => {
    assert.throws(
      () => loadConfig('mailer', mail, { NODE_ENV: 'production' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.variables, ['SMTP_URL', 'MAIL_FROM']);
        return true;
      },
    );
    assert.throws(
      () =>
        loadConfig('mailer', mail, {
          NODE_ENV: 'production',
          SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
          MAIL_FROM: 'Todo at example dot com',
        }),
      /"MAIL_FROM" must be an address/,
    );
    assert.equal(
      loadConfig('mailer', mail, {
        NODE_ENV: 'production',
        MAIL_TRANSPORT: 'log',
        MAIL_FROM: 'todo@example.com',
      }).MAIL_TRANSPORT,
      'log',
    );
  });
});
