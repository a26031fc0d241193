import { BaseProperty, type PropertyType } from 'adminjs';
import type { FieldDef, FieldType } from './definitions.js';

const TYPES: Record<FieldType, PropertyType> = {
  id: 'string',
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
  reference: 'reference',
  json: 'textarea',
  password: 'password',
};

/** A field of a console resource as AdminJS sees it. */
export class ConsoleProperty extends BaseProperty {
  constructor(
    private readonly field: FieldDef,
    private readonly titleField: string,
  ) {
    super({
      path: field.path,
      type: TYPES[field.type],
      isId: field.type === 'id',
      isSortable: field.filter === true && field.type !== 'boolean',
    });
  }

  override isTitle(): boolean {
    return this.field.path === this.titleField;
  }

  override reference(): string | null {
    return this.field.reference ?? null;
  }

  override availableValues(): string[] | null {
    return this.field.values ? [...this.field.values] : null;
  }

  override isEditable(): boolean {
    return this.field.edit === true;
  }

  override isVisible(): boolean {
    return true;
  }
}
