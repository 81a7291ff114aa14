import { describe, expect, it } from 'vitest';
import { loginPage, pickLang } from './login-page.js';

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

describe('the users file’s page beside the municipality’s login', () => {
  it('keeps its language links on /login?local=1', () => {
    const page = loginPage({ lang: 'sv', csrfToken: 't', next: '/', local: true });
    expect(page).toContain('href="/login?lang=en&amp;local=1&amp;next=%2F"');
    expect(loginPage({ lang: 'sv', csrfToken: 't', next: '/' })).not.toContain('local=1');
  });
});
