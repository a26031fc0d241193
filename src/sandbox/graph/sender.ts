import type { EmulatorContext } from '../context.js';
import type { Recipient } from '../mail-model.js';
import type { User } from '../model.js';
import { smtpAddresses } from '../store/addresses.js';
import { hasAny, type GraphPrincipal } from './access.js';
import { errors } from './errors.js';

export interface SendingIdentity {
  /** What recipients see as From. */
  from: Recipient;
  /** Who actually sent: differs from `from` for Send on Behalf. */
  sender: Recipient;
}

/** Every address a user owns: primary mail, UPN and SMTP proxy addresses (lower case). */
export function ownAddresses(user: User): string[] {
  const all = [user.mail, user.userPrincipalName, ...smtpAddresses(user.proxyAddresses)];
  return [...new Set(all.filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase()))];
}

export function primaryRecipient(user: User): Recipient {
  return { emailAddress: { name: user.displayName, address: user.mail ?? user.userPrincipalName } };
}

/**
 * Exchange's From rule for a message submitted from `mailbox`: its own addresses are always
 * allowed; another mailbox's address needs, with a user token, `Mail.Send.Shared` and a Send As
 * (or Send on Behalf) right of the signed-in user on it; an app token with `Mail.Send` may send
 * as any mailbox of the tenant. Anything else is 403 ErrorSendAsDenied.
 */
export function decideSender(
  ctx: EmulatorContext,
  caller: GraphPrincipal,
  mailbox: User,
  from: Recipient | null,
): SendingIdentity {
  const owner = from ? ownerOf(ctx, mailbox, from.emailAddress.address) : mailbox;
  if (!owner) throw errors.sendAsDenied();
  const shown = from
    ? { emailAddress: { name: nameOf(from, owner), address: from.emailAddress.address } }
    : primaryRecipient(owner);
  if (caller.kind === 'app') return { from: shown, sender: shown };
  if (owner.id === caller.userId) return { from: shown, sender: shown };
  if (!hasAny(caller.scopes, ['Mail.Send.Shared'])) throw errors.sendAsDenied();
  const actor = caller.userId ?? '';
  if (ctx.store.directory.hasMailboxPermission(actor, owner.id, 'sendAs'))
    return { from: shown, sender: shown };
  if (ctx.store.directory.hasMailboxPermission(actor, owner.id, 'sendOnBehalf')) {
    const signedIn = ctx.store.directory.getUser(actor);
    return { from: shown, sender: signedIn ? primaryRecipient(signedIn) : shown };
  }
  throw errors.sendAsDenied();
}

/** The user of the mailbox's tenant owning an address (the mailbox itself first). */
function ownerOf(ctx: EmulatorContext, mailbox: User, address: string): User | undefined {
  if (ownAddresses(mailbox).includes(address.trim().toLowerCase())) return mailbox;
  const owner = ctx.store.directory.findUserByAddress(address);
  return owner && owner.tenantId === mailbox.tenantId && owner.hasMailbox ? owner : undefined;
}

function nameOf(from: Recipient, owner: User): string {
  const { name, address } = from.emailAddress;
  return name && name !== address ? name : owner.displayName;
}
