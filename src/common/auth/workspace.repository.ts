import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

export type WorkspaceState = 'active' | 'suspended';

@Injectable()
export class WorkspaceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Returns the workspace's status, creating it as active on first sight (JIT). */
  async findOrCreate(id: string): Promise<WorkspaceState> {
    const found = await this.prisma.workspace.findUnique({
      where: { id },
      select: { status: true },
    });
    if (found) return found.status;
    await this.prisma.workspace.createMany({ data: [{ id }], skipDuplicates: true });
    const created = await this.prisma.workspace.findUniqueOrThrow({
      where: { id },
      select: { status: true },
    });
    return created.status;
  }

  async setStatus(id: string, status: WorkspaceState): Promise<void> {
    await this.prisma.workspace.upsert({
      where: { id },
      create: { id, status },
      update: { status },
    });
  }
}
