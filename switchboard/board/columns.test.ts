import { describe, expect, expectTypeOf, it } from 'vitest';
import { CODED_COLUMNS, type ColumnName, SNAPSHOT_COLUMNS } from './columns.js';
import type { Row } from './row.js';

describe('the board columns', () => {
  it('name every field of a row, and the desk link, once each', () => {
    // a field added to Row without a column would never reach the page
    expectTypeOf<keyof Row | 'desk'>().toEqualTypeOf<ColumnName>();
    expect(new Set(SNAPSHOT_COLUMNS).size).toBe(SNAPSHOT_COLUMNS.length);
    expect(CODED_COLUMNS).toEqual(['org', 'department', 'status', 'reason', 'title']);
  });
});
