import { registerDecorator } from 'class-validator';
import type { ErrorDetail } from '../errors/domain-error.js';

/** Lists what is wrong inside a value, with paths relative to it (`[0].name`); [] when valid. */
export type Explain = (value: unknown) => ErrorDetail[];

const EXPLAINERS = new Map<string, Explain>();

/**
 * A class-validator constraint for a structured value (a list of recipients) whose errors name
 * the exact element: the validation error details become `to[0].name`, not just `to`.
 */
export function ValidateDetailed(name: string, explain: Explain): PropertyDecorator {
  EXPLAINERS.set(name, explain);
  return (target, property) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => explain(value).length === 0,
        defaultMessage: () => 'is not valid',
      },
    });
}

/** The details of a failed detailed constraint, or undefined for any other constraint. */
export function explainConstraint(name: string, value: unknown): ErrorDetail[] | undefined {
  return EXPLAINERS.get(name)?.(value);
}
