import { DispatchService } from '../../src/modules/outbound/dispatch.service.js';
import { OutboxRelay } from '../../src/common/events/outbox-relay.js';
import { call, connectJourney, type SandboxApp } from './sandbox-app.js';

export interface Ids {
  mailboxId: string;
  primaryIdentityId: string;
}

/** Connects a Microsoft user and returns the mailbox and its primary identity. */
export async function connectMailbox(t: SandboxApp, token: string, msUserId: string): Promise<Ids> {
  const run = await connectJourney(t, token, msUserId);
  const mailboxId = run.landed.searchParams.get('connected');
  if (!mailboxId) throw new Error(`connect failed: ${run.landed}`);
  const mailbox = (await call(t, 'GET', `/v1/mailboxes/${mailboxId}`, { token })).json<{
    identities: { id: string; type: string }[];
  }>();
  const primary = mailbox.identities.find((i) => i.type === 'primary');
  if (!primary) throw new Error('no primary identity');
  return { mailboxId, primaryIdentityId: primary.id };
}

export async function createProfile(
  t: SandboxApp,
  token: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await call(t, 'POST', '/v1/sender-profiles', {
    token,
    body: { name: 'Outreach', fromName: 'Ann from Contoso', ...body },
  });
  if (res.status !== 201) throw new Error(`profile: ${res.status} ${res.body}`);
  return res.json<{ id: string }>().id;
}

export async function assign(
  t: SandboxApp,
  token: string,
  identityId: string,
  senderProfileId: string | null,
): Promise<void> {
  const res = await call(t, 'PATCH', `/v1/identities/${identityId}`, {
    token,
    body: { senderProfileId },
  });
  if (res.status !== 200) throw new Error(`assign: ${res.status} ${res.body}`);
}

/** Runs the dispatcher (and the event relay) until nothing is due. */
export async function drain(t: SandboxApp, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    const result = await t.app.get(DispatchService).dispatchOnce();
    while ((await t.app.get(OutboxRelay).relayOnce()).claimed > 0);
    if (result.claimed === 0) return;
  }
}
