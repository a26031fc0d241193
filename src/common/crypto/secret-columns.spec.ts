import { describe, expect, it } from '@jest/globals';
import { registeredSecretColumns, registerSecretColumns } from './secret-columns.js';

const spec = (table: string, column = 'token') => ({
  table,
  idColumn: 'id',
  columns: [{ column, purpose: 'refresh_token' }],
});

describe('secret column registry', () => {
  it('lists registered specs and ignores an identical re-registration', () => {
    registerSecretColumns(spec('spec_registry_a'));
    registerSecretColumns(spec('spec_registry_a'));
    const found = registeredSecretColumns().filter((s) => s.table === 'spec_registry_a');
    expect(found).toEqual([spec('spec_registry_a')]);
  });

  it('refuses a conflicting spec for a registered table', () => {
    registerSecretColumns(spec('spec_registry_b'));
    expect(() => registerSecretColumns(spec('spec_registry_b', 'other'))).toThrow(
      /already registered/,
    );
  });

  it('refuses identifiers that are not plain SQL names', () => {
    expect(() => registerSecretColumns(spec('bad"; DROP TABLE x; --'))).toThrow(/identifier/);
    expect(() => registerSecretColumns(spec('ok_table', 'a b'))).toThrow(/identifier/);
    expect(() => registerSecretColumns({ ...spec('no_columns'), columns: [] })).toThrow(
      /no secret columns/,
    );
  });

  it('hands out copies, so callers cannot change the registry', () => {
    registerSecretColumns(spec('spec_registry_c'));
    const [copy] = registeredSecretColumns().filter((s) => s.table === 'spec_registry_c');
    copy.columns.push({ column: 'extra', purpose: 'x' });
    const [again] = registeredSecretColumns().filter((s) => s.table === 'spec_registry_c');
    expect(again.columns).toHaveLength(1);
  });
});
