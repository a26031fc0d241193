import { describe, expect, it } from '@jest/globals';
import { classifyAppTokenFailure } from './token-error.rules.js';

describe('classifyAppTokenFailure (client credentials)', () => {
  it.each([
    [400, 'unauthorized_client', 'consent_missing'],
    [401, 'invalid_client', 'configuration'],
    [429, 'unauthorized_client', 'transient'],
    [503, 'temporarily_unavailable', 'transient'],
    [0, 'network_error', 'transient'],
    [400, 'invalid_request', 'unknown'],
  ] as const)('%i %s → %s', (status, error, kind) => {
    expect(classifyAppTokenFailure(status, error)).toBe(kind);
  });
});
