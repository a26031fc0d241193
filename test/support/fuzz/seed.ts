import { ADELE } from '../../../src/sandbox/seed.js';
import { call, type SandboxApp } from '../sandbox-app.js';
import { assign, connectMailbox, createProfile } from '../sending.js';
import type { Seeds } from './requests.js';

/**
 * A workspace with a connected mailbox, a sender profile its primary identity sends for, and a
 * queued message: generated requests that name them get past 404 to the code behind.
 */
export async function seedWorkspace(t: SandboxApp, token: string): Promise<Seeds> {
  const mailbox = await connectMailbox(t, token, ADELE.id);
  const profileId = await createProfile(t, token, { replyTo: 'replies@contoso.com' });
  await assign(t, token, mailbox.primaryIdentityId, profileId);
  const to = ['lead@example.com', { email: 'bob@example.com', name: 'Bob Ó’Brien 😀' }];
  const sent = await call(t, 'POST', '/v1/messages', {
    token,
    body: { senderProfileId: profileId, to, subject: 'Hello', text: 'Hi there' },
  });
  if (sent.status !== 202) throw new Error(`message: ${sent.status} ${sent.body}`);
  return {
    ids: {
      mailboxes: mailbox.mailboxId,
      identities: mailbox.primaryIdentityId,
      'sender-profiles': profileId,
      messages: sent.json<{ id: string }>().id,
    },
    valid: validValues(profileId),
  };
}

function validValues(profileId: string): Record<string, unknown> {
  return {
    senderProfileId: profileId,
    to: ['lead@example.com', { email: 'bob@example.com', name: 'Bob' }],
    cc: ['cc@example.com'],
    bcc: [{ email: 'bcc@example.com' }],
    subject: 'Hello from the fuzzer',
    text: 'Hi,\r\n\tthere',
    html: '<p>Hi</p>',
    name: 'Outreach',
    fromName: 'Ann from Contoso',
    replyTo: 'replies@contoso.com',
    email: 'support@contoso.com',
    displayName: 'Contoso Support',
    returnTo: 'http://frontend.test/settings/email-setup',
    loginHint: 'adele@contoso.com',
    userId: 'user-fuzz',
    workspaceId: 'ws-fuzz',
    limit: 10,
    force: 'false',
  };
}
