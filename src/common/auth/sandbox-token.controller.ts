import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config.js';
import { NotFoundError } from '../errors/domain-error.js';
import { Public } from '../http/public.decorator.js';
import { AppJwtSecret } from './app-jwt-secret.js';
import { SandboxTokenRequest } from './dto/sandbox-token.dto.js';
import { type IssuedToken, issueSandboxToken } from './sandbox-token.js';

@ApiTags('sandbox')
@Controller('v1/sandbox')
export class SandboxTokenController {
  constructor(
    private readonly config: AppConfig,
    private readonly secret: AppJwtSecret,
  ) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sandbox mode only: a bearer token for a demo user and workspace' })
  issue(@Body() body: SandboxTokenRequest): Promise<IssuedToken> {
    if (!this.config.sandbox) throw new NotFoundError('route');
    return issueSandboxToken(this.config, this.secret.key(), body);
  }
}
