import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';

const base = { NODE_ENV: 'test', JOBS_ENABLED: 'false' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
}

describe('inbound settings', () => {
  it('auto delivery: notifications with an https PUBLIC_URL, polling otherwise; explicit wins', () => {
    const mode = (env: NodeJS.ProcessEnv) => loadConfig({ ...base, ...env }).inbound.delivery;
    expect(mode({ PUBLIC_URL: 'https://m365.example' })).toBe('notifications');
    expect(mode({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toBe('polling');
    expect(mode({})).toBe('polling');
    expect(mode({ PUBLIC_URL: 'http://127.0.0.1:3000', INBOUND_DELIVERY: 'notifications' })).toBe(
      'notifications',
    );
    expect(mode({ PUBLIC_URL: 'https://m365.example', INBOUND_DELIVERY: 'polling' })).toBe(
      'polling',
    );
  });

  it('defaults: thread cap 3, confidence 0.6, AI caps and timeout', () => {
    const config = loadConfig(base);
    expect(config.inbound).toMatchObject({
      maxRepliesPerThreadPerDay: 3,
      minReplyConfidence: 0.6,
      subscriptionMinutes: 4230,
      routing: {},
      testCrash: 'none',
    });
    expect(config.ai).toMatchObject({
      provider: 'rules',
      timeoutMs: 15000,
      dailyCallsPerWorkspace: 2000,
      dailyTokensPerWorkspace: 2000000,
    });
  });

  it('INBOUND_ROUTING overrides categories and flags; a malformed entry names the variable', () => {
    const config = loadConfig({
      ...base,
      INBOUND_ROUTING: 'lead=Hot lead|flag; newsletter=;spam=Junk',
    });
    expect(config.inbound.routing).toEqual({
      lead: { category: 'Hot lead', flag: true },
      newsletter: { category: null, flag: false },
      spam: { category: 'Junk', flag: false },
    });
    expect(problems({ ...base, INBOUND_ROUTING: 'lead:Hot' })).toEqual(['INBOUND_ROUTING']);
    expect(problems({ ...base, INBOUND_MIN_REPLY_CONFIDENCE: '2' })).toEqual([
      'INBOUND_MIN_REPLY_CONFIDENCE',
    ]);
  });

  it('the kill-test hook is refused outside NODE_ENV=test', () => {
    expect(problems({ NODE_ENV: 'development', INBOUND_TEST_CRASH: 'after_reply_send' })).toContain(
      'INBOUND_TEST_CRASH',
    );
  });
});
