import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config.js';
import { Settling, type SweepCounts, sweepLeased } from '../../common/jobs/sweep.js';
import {
  MailboxGraphService,
  type PrefetchedCredential,
} from '../mailbox/mailbox-graph.service.js';
import { IdentityScanRepository, type ScanSubject } from './identity-scan.repository.js';
import { IdentityDiscoveryService } from './identity.service.js';

type Outcome = 'scanned' | 'failed';

/** A leased mailbox as claimed: its row and identities, and its delegated credential. */
interface Claimed {
  mailboxId: string;
  subject: ScanSubject | undefined;
  credential: PrefetchedCredential | undefined;
}

const LEASE_MS = 10 * 60_000;

/** One sweep of the re-scan job: lease due mailboxes, discover each (bounded concurrency). */
@Injectable()
export class IdentityScanJob {
  private readonly logger = new Logger(IdentityScanJob.name);

  constructor(
    private readonly scans: IdentityScanRepository,
    private readonly discovery: IdentityDiscoveryService,
    private readonly graph: MailboxGraphService,
    private readonly config: AppConfig,
  ) {}

  sweep(maxBatches = 100): Promise<SweepCounts<Outcome>> {
    const concurrency = this.config.jobs.identityScanConcurrency;
    return sweepLeased({
      outcomes: ['scanned', 'failed'],
      claim: (limit) => this.claim(limit),
      batchSize: concurrency * 4,
      concurrency,
      maxBatches,
      work: (claimed) => this.scanOne(claimed),
    });
  }

  /**
   * A batch of leases with their mailboxes, stored identities and delegated credentials (one
   * read each for the batch, not per mailbox).
   */
  private async claim(limit: number): Promise<Claimed[]> {
    const ids = await this.scans.claimDue(limit, LEASE_MS);
    if (ids.length === 0) return [];
    const [subjects, credentials] = await Promise.all([
      this.scans.loadSubjects(ids),
      this.graph.prefetchDelegated(ids),
    ]);
    return ids.map((mailboxId) => ({
      mailboxId,
      subject: subjects.get(mailboxId),
      credential: credentials.get(mailboxId),
    }));
  }

  /**
   * Scans one mailbox; once Graph has answered, the worker goes on while an unchanged
   * re-scan's sighting is group-committed (the sweep awaits it; until then the lease holds).
   */
  private async scanOne({
    mailboxId,
    subject,
    credential,
  }: Claimed): Promise<Outcome | Settling<Outcome>> {
    // Disconnected since the claim: nothing to scan (the claim no longer picks it up).
    if (!subject) return 'failed';
    try {
      const { ok, recorded } = await this.discovery.rescan(
        subject.mailbox,
        subject.known,
        credential,
      );
      return new Settling(
        recorded.then(
          (): Outcome => (ok ? 'scanned' : 'failed'),
          (error: unknown) => this.crashed(mailboxId, error),
        ),
      );
    } catch (error) {
      return this.crashed(mailboxId, error);
    }
  }

  private async crashed(mailboxId: string, error: unknown): Promise<'failed'> {
    this.logger.error({ mailboxId, err: error }, 'identity scan crashed');
    await this.scans.release(mailboxId);
    return 'failed';
  }
}
