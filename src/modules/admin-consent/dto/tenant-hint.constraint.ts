import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isTenantHint } from '../admin-consent.rules.js';

@ValidatorConstraint({ name: 'tenantHint' })
export class TenantHintConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTenantHint(value);
  }

  defaultMessage(): string {
    return 'tenant must be a tenant id (GUID), a domain or organizations (not common or consumers)';
  }
}
