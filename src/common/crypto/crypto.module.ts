import { Global, Module } from '@nestjs/common';
import { TokenVault } from './vault.js';

@Global()
@Module({ providers: [TokenVault], exports: [TokenVault] })
export class CryptoModule {}
