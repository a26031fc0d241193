import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ID = /^[A-Za-z0-9._:-]+$/;

export class SandboxTokenRequest {
  @ApiPropertyOptional({ example: 'demo-user' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(ID)
  userId?: string;

  @ApiPropertyOptional({ example: 'demo-workspace' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(ID)
  workspaceId?: string;
}
