import { Global, Module } from '@nestjs/common';
import { GraphClientFactory } from './graph-client.factory.js';
import { IdentityPlatformClient } from './identity-platform.client.js';
import { MicrosoftHttp } from './microsoft-http.js';

@Global()
@Module({
  providers: [MicrosoftHttp, IdentityPlatformClient, GraphClientFactory],
  exports: [MicrosoftHttp, IdentityPlatformClient, GraphClientFactory],
})
export class MicrosoftModule {}
