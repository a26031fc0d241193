import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, Validate } from 'class-validator';
import { HeaderSafe } from '../../../common/http/text.decorators.js';
import { TenantHintConstraint } from './tenant-hint.constraint.js';

export class AdminConsentRequest {
  @ApiPropertyOptional({
    description:
      'The Microsoft 365 organization (tenant id or verified domain) the link is for; omitted or `organizations`: the organization of the admin who accepts.',
    example: 'contoso.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @Validate(TenantHintConstraint)
  tenant?: string;

  @ApiPropertyOptional({
    description: 'Where the browser lands afterwards; must be on an allowed frontend origin.',
    example: 'https://app.scendcore.com/settings/email-setup',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  returnTo?: string;

  @ApiPropertyOptional({
    description: 'The workspace name the IT admin sees on the link page.',
    example: 'Acme Sales',
  })
  @IsOptional()
  @IsString()
  @HeaderSafe()
  @MaxLength(120)
  workspaceName?: string;

  @ApiPropertyOptional({
    description: 'Who asks (name or address), shown to the IT admin on the link page.',
    example: 'Ann Lee <ann@acme.com>',
  })
  @IsOptional()
  @IsString()
  @HeaderSafe()
  @MaxLength(200)
  requestedBy?: string;
}

export class AdminConsentLinkResponse {
  @ApiProperty({
    description:
      'Hand this link to an IT admin of the organization: it opens a ScendCore page naming this workspace and the permissions, then continues to Microsoft. One use; expires at expiresAt.',
  })
  authorizationUrl: string;

  @ApiProperty() expiresAt: string;
}
