import { Module } from '@nestjs/common';
import { WorkspaceRepository } from './workspace.repository.js';
import { WorkspaceService } from './workspace.service.js';

@Module({ providers: [WorkspaceRepository, WorkspaceService], exports: [WorkspaceService] })
export class WorkspaceModule {}
