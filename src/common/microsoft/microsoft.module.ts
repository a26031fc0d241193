import { Global, Module } from '@nestjs/common';
import { AppTokenService } from './app-token.service.js';
import { GraphClientFactory } from './graph-client.factory.js';
import { IdentityPlatformClient } from './identity-platform.client.js';
import { MicrosoftHttp } from './microsoft-http.js';

@Global()
@Module({
  providers: [MicrosoftHttp, IdentityPlatformClient, GraphClientFactory, AppTokenService],
  exports: [MicrosoftHttp, IdentityPlatformClient, GraphClientFactory, AppTokenService],
})
export class MicrosoftModule {}
