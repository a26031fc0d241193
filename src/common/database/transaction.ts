import type { Prisma } from '../../generated/prisma/client.js';

/** A Prisma interactive-transaction client, passed from services to repositories. */
export type Tx = Prisma.TransactionClient;
