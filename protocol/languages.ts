// The languages hanvisa speaks: one list, from which the schemas, the pages' text tables and the
// language pickers are derived, so adding a language is this edit plus its texts.

export const LANGUAGES = ['sv', 'da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a page or a desk shows when nobody asked for a language. */
export const DEFAULT_LANGUAGE: Language = 'sv';

/** The Intl locale of each language, for dates and numbers. */
export const INTL_LOCALES: Record<Language, string> = { sv: 'sv-SE', da: 'da-DK', en: 'en-GB' };

export const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value);

/** One value per language, built from the list (the label schemas and their arbitraries). */
export const perLanguage = <T>(make: (lang: Language) => T): Record<Language, T> =>
  Object.fromEntries(LANGUAGES.map((lang) => [lang, make(lang)])) as Record<Language, T>;
