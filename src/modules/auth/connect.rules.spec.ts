import { describe, expect, it } from '@jest/globals';
import {
  allowedReturnTo,
  attemptIdFromState,
  connectErrorFromFailure,
  issuerMatchesTenant,
  withQuery,
} from './connect.rules.js';

describe('connect rules', () => {
  it('extracts our attempt id from passport custom state', () => {
    const id = 'a'.repeat(43);
    expect(attemptIdFromState(`CUSTOM${'x'.repeat(32)}${id}`)).toBe(id);
    expect(attemptIdFromState(`${'x'.repeat(38)}${id}`)).toBeUndefined();
    expect(attemptIdFromState(`CUSTOM${'x'.repeat(32)}bad id!`)).toBeUndefined();
    expect(attemptIdFromState(undefined)).toBeUndefined();
  });

  it('maps passport failures to the guide codes', () => {
    expect(connectErrorFromFailure('access_denied')).toBe('access_denied');
    expect(connectErrorFromFailure('consent_required')).toBe('admin_consent_required');
    expect(
      connectErrorFromFailure('In collectInfoFromReq: invalid state received in the request'),
    ).toBe('invalid_state');
    expect(connectErrorFromFailure('In _validateResponse: invalid nonce')).toBe('invalid_state');
    expect(
      connectErrorFromFailure('In _authCodeFlowHandler: failed to redeem authorization code'),
    ).toBe('token_exchange_failed');
  });

  it('checks the issuer against the tenant of the token', () => {
    const host = 'https://login.microsoftonline.com';
    const tid = '6f1c2b9e-4a3d-4e8b-9c51-2d7a0e3f8b14';
    expect(issuerMatchesTenant(`${host}/${tid}/v2.0`, tid, host)).toBe(true);
    expect(issuerMatchesTenant(`${host}/other/v2.0`, tid, host)).toBe(false);
    expect(issuerMatchesTenant(`https://evil.example/${tid}/v2.0`, tid, host)).toBe(false);
    expect(issuerMatchesTenant(`${host}/${tid}/v2.0`, '', host)).toBe(false);
  });

  it('allows returnTo only on configured frontend origins', () => {
    const allowed = ['https://app.scendcore.com'];
    expect(allowedReturnTo('https://app.scendcore.com/settings/email-setup', allowed)).toBe(true);
    expect(allowedReturnTo('https://app.scendcore.com.evil.io/x', allowed)).toBe(false);
    expect(allowedReturnTo('https://user@app.scendcore.com/x', allowed)).toBe(false);
    expect(allowedReturnTo('//evil.io', allowed)).toBe(false);
    expect(allowedReturnTo('javascript:alert(1)', allowed)).toBe(false);
  });

  it('adds a query parameter to the return URL', () => {
    expect(withQuery('https://a.test/s?tab=1', 'connected', 'm1')).toBe(
      'https://a.test/s?tab=1&connected=m1',
    );
  });
});
