import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'scendcore:public';

/** Marks a route that needs no bearer token (webhooks, OAuth callbacks, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
