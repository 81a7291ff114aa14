import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueLines } from './issues.js';

const Users = z.array(z.strictObject({ name: z.string(), role: z.enum(['operator', 'it']) }));
const failure = (value: unknown) => {
  const parsed = Users.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
};

describe('issueLines', () => {
  it('names each field by its path, with dots or brackets for indexes', () => {
    const error = failure([
      { name: 'a', role: 'operator' },
      { name: 1, role: 'x' },
    ]);
    expect(issueLines(error)).toEqual([
      '1.name: Invalid input: expected string, received number',
      '1.role: Invalid option: expected one of "operator"|"it"',
    ]);
    expect(issueLines(error, { indexes: 'brackets', max: 1 })).toEqual([
      '[1].name: Invalid input: expected string, received number',
    ]);
  });

  it('names a problem with the whole value by the given root, or gives the message alone', () => {
    const error = failure({});
    expect(issueLines(error, { root: '(file)' })).toEqual([
      '(file): Invalid input: expected array, received object',
    ]);
    expect(issueLines(error)).toEqual(['Invalid input: expected array, received object']);
  });
});
