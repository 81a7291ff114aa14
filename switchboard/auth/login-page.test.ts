import { describe, expect, it } from 'vitest';
import { pickLang } from './login-page.js';

describe('the login page language', () => {
  it('is asked for, else the board’s, else a Nordic browser’s, else Swedish as the board', () => {
    expect(pickLang('en', 'sv-SE', '/?lang=da')).toBe('en');
    expect(pickLang(null, 'en-US', '/?lang=da')).toBe('da');
    expect(pickLang(null, 'en-US,en;q=0.9', '/')).toBe('sv');
    expect(pickLang(null, 'da-DK', null)).toBe('da');
    expect(pickLang(null, 'nb-NO', undefined)).toBe('da');
    expect(pickLang(null, undefined, 'http://[bad')).toBe('sv');
  });
});
