import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../config/json-file.js';
import { loadCalendarConfig } from './config.js';

describe('the calendar file', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-calendar-config-'));
    path = join(dir, 'calendar.json');
    await writeFile(join(dir, 'dav-password'), 'secret\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (people: unknown[]) => {
    await writeFile(path, JSON.stringify({ people }));
    return loadCalendarConfig(path);
  };
  const refusal = async (people: unknown[]) => {
    try {
      await load(people);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigFileError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('makes each person’s source from the registry, relative paths from the file’s folder', async () => {
    const config = await load([
      { ext: '1', ics: 'webcal://example.se/cal.ics' },
      { ext: '2', file: 'two.ics' },
      { ext: '3', caldav: { url: 'https://dav.example.se/anna/', passwordFile: 'dav-password' } },
      { ext: '4', graph: { user: 'anna@example.se', tokenFile: 'token' } },
    ]);
    expect(config.people.map((p) => [p.ext, p.source.label])).toEqual([
      ['1', 'https://example.se/cal.ics'],
      ['2', join(dir, 'two.ics')],
      ['3', 'caldav dav.example.se/anna/'],
      ['4', 'graph anna@example.se'],
    ]);
  });

  it('refuses none, two or an unknown kind of source, naming the kinds there are', async () => {
    expect(await refusal([{ ext: '1' }])).toContain(
      'people[0]: give exactly one of ics, file, caldav, graph',
    );
    expect(await refusal([{ ext: '1', ics: 'https://a/b.ics', file: 'b.ics' }])).toContain(
      'people[0]: give exactly one of ics, file, caldav, graph',
    );
    expect(await refusal([{ ext: '1', outlook: 'x' }])).toContain('people[0]: Unrecognized key: "outlook"');
  });

  it('names the person whose source cannot be made', async () => {
    expect(await refusal([{ ext: '1', ics: 'ftp://example.se/cal.ics' }])).toBe(
      `calendar config ${path}: people[0]: feed URL must be http(s) or webcal, got ftp:`,
    );
    expect(
      await refusal([{ ext: '1', caldav: { url: 'https://dav.example.se/', passwordFile: 'nothing' } }]),
    ).toBe(`calendar config ${path}: people[0]: CalDAV password: no such file: ${join(dir, 'nothing')}`);
  });
});
