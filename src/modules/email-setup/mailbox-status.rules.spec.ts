import { describe, expect, it } from '@jest/globals';
import { explainStatus } from './mailbox-status.rules.js';

describe('mailbox status in words', () => {
  it('gives every known reason a message and the next step', () => {
    expect(explainStatus('active', null)).toEqual({ message: null, action: 'none' });
    expect(explainStatus('needs_reauth', 'invalid_grant').action).toBe('reconnect');
    expect(explainStatus('active', 'token_refresh_failing').action).toBe('wait');
    expect(explainStatus('needs_reauth', 'organization_needs_consent').action).toBe('ask_admin');
    expect(explainStatus('error', 'application_access_denied').action).toBe('ask_admin');
  });

  it('never leaves a person without words: unknown reasons say so and point to support', () => {
    const unknown = explainStatus('error', 'something_new');
    expect(unknown.action).toBe('contact_support');
    expect(unknown.message).toContain('something_new');
    expect(explainStatus('needs_reauth', null).action).toBe('reconnect');
  });
});
