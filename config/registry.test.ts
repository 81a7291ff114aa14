import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkValue } from './json-file.js';
import { adapter, createFirstFit, createKeyed, exactlyOne, keyedFields, taggedUnion } from './registry.js';

const where = 'test.json';
const problems = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

// a family of two, the way phone systems and calendar sources are: `{ "name": settings }`
const ring = adapter({
  type: 'ring',
  schema: z.strictObject({ times: z.number().int() }),
  create: (settings, needs: { who: string }) => `${needs.who} rings ${settings.times} times`,
});
const mail = adapter({
  type: 'mail',
  schema: z.string().min(1),
  create: (address, needs: { who: string }) => `${needs.who} mails ${address}`,
});
const KEYED = [ring, mail] as const;
const Holder = exactlyOne(z.strictObject({ who: z.string(), ...keyedFields(KEYED) }), KEYED);

describe('a keyed registry', () => {
  it('makes the adapter the config names, from its checked settings', () => {
    const value = checkValue({ who: 'anna', ring: { times: 3 } }, Holder, where);
    expect(createKeyed(KEYED, value, { who: value.who })).toBe('anna rings 3 times');
    const typed: { times: number } | undefined = value.ring;
    expect(typed).toEqual({ times: 3 });
  });

  it('refuses none and two, naming the registered keys', () => {
    expect(problems(() => checkValue({ who: 'a' }, Holder, where))).toBe(
      'test.json: (file): give exactly one of ring, mail',
    );
    expect(problems(() => checkValue({ who: 'a', ring: { times: 1 }, mail: 'x' }, Holder, where))).toBe(
      'test.json: (file): give exactly one of ring, mail',
    );
  });

  it('refuses an unknown type as an unknown field, and bad settings under their field', () => {
    expect(problems(() => checkValue({ who: 'a', fax: {} }, Holder, where))).toMatch(
      /Unrecognized key: "fax"/,
    );
    expect(problems(() => checkValue({ who: 'a', ring: { times: 'x' } }, Holder, where))).toMatch(
      /ring\.times: Invalid input/,
    );
  });
});

// a family the way key-panel drivers are: `{ "type": "name", …settings }`
const usb = adapter({
  type: 'usb',
  schema: z.strictObject({ path: z.string() }),
  create: (settings, _: undefined) => settings.path,
});
const screen = adapter({ type: 'screen', schema: z.strictObject({}), create: () => 'screen' });
const Tagged = taggedUnion([usb, screen]);

describe('a tagged registry', () => {
  it('takes each registered type with its own settings, and types them', () => {
    const value = checkValue({ type: 'usb', path: '/dev/x' }, Tagged, where);
    if (value.type !== 'usb') throw new Error('not usb');
    expect(usb.create(value, undefined)).toBe('/dev/x');
    expect(checkValue({ type: 'screen' }, Tagged, where)).toEqual({ type: 'screen' });
  });

  it('refuses an unknown type naming the registered ones, and a stray field', () => {
    expect(problems(() => checkValue({ type: 'bluetooth' }, Tagged, where))).toBe(
      'test.json: type: one of usb, screen',
    );
    expect(problems(() => checkValue({ type: 'screen', path: 'x' }, Tagged, where))).toMatch(
      /Unrecognized key: "path"/,
    );
  });
});

// a family the way stores are: the value itself says which adapter takes it
const STORES = [
  adapter({
    type: 'url',
    schema: z.string().regex(/^db:\/\//),
    create: (url, _: undefined) => `server ${url}`,
  }),
  adapter({ type: 'file', schema: z.string().min(1), create: (path, _: undefined) => `file ${path}` }),
] as const;

describe('a first-fit registry', () => {
  it('gives the value to the first adapter whose schema takes it', () => {
    expect(createFirstFit(STORES, 'db://host/x', undefined)).toBe('server db://host/x');
    expect(createFirstFit(STORES, 'data/x.db', undefined)).toBe('file data/x.db');
    expect(() => createFirstFit(STORES, '', undefined)).toThrow('"" fits none of url, file');
  });
});
