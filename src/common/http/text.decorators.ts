import { registerDecorator, type ValidationArguments } from 'class-validator';
import { textProblem, type TextKind } from './text-rules.js';

const FREE_TEXT = new WeakMap<object, Set<string>>();

/**
 * A free-text field (a message body): it may hold tabs and line breaks, which every other
 * string of a request may not. Other control characters are still refused.
 */
export function FreeText(): PropertyDecorator {
  return (target, property) => {
    const fields = FREE_TEXT.get(target.constructor) ?? new Set<string>();
    FREE_TEXT.set(target.constructor, fields.add(String(property)));
    registerText(target, property, 'free');
  };
}

/**
 * A value that goes into a mail header (subject, display names, addresses): one line, no
 * control characters, no Unicode line separators. Non-strings are left to @IsString.
 */
export function HeaderSafe(): PropertyDecorator {
  return (target, property) => registerText(target, property, 'header');
}

/** The @FreeText() fields of a DTO class (and of the classes it extends). */
export function freeTextFields(dto: unknown): ReadonlySet<string> {
  const fields = new Set<string>();
  for (let type = dto; typeof type === 'function'; type = Object.getPrototypeOf(type)) {
    FREE_TEXT.get(type)?.forEach((field) => fields.add(field));
  }
  return fields;
}

function registerText(target: object, property: string | symbol, kind: TextKind): void {
  registerDecorator({
    name: kind === 'free' ? 'isFreeText' : 'isHeaderSafe',
    target: target.constructor,
    propertyName: String(property),
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !textProblem(value, kind),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} ${textProblem(String(args?.value ?? ''), kind) ?? 'is not valid text'}`,
    },
  });
}
