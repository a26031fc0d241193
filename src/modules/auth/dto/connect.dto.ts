import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ConnectRequest {
  @ApiPropertyOptional({
    description: 'Where to send the browser afterwards; must be on an allowed frontend origin.',
    example: 'https://app.scendcore.com/settings/email-setup',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  returnTo?: string;

  @ApiPropertyOptional({
    description:
      'Pre-selects the account at Microsoft when reconnecting a known mailbox (its address).',
    example: 'adele@contoso.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  loginHint?: string;
}

export class AuthorizationUrlResponse {
  @ApiProperty({ description: 'Navigate the browser here to sign in with Microsoft.' })
  authorizationUrl: string;
}
