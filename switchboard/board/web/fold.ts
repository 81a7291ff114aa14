// Search folds case and the Nordic letters both ways, so "asa" finds Åsa, "soren" Søren, "aeble"
// Æble, and a typed "Åsa" still finds "Asa": å/ä/à/á/â → a, ö/ø/ó/ô → o, æ → ae, é/è/ê → e, ü → u.
const FOLDS: Record<string, string> = {
  å: 'a',
  ä: 'a',
  à: 'a',
  á: 'a',
  â: 'a',
  ö: 'o',
  ø: 'o',
  ó: 'o',
  ô: 'o',
  æ: 'ae',
};
Object.assign(FOLDS, { é: 'e', è: 'e', ê: 'e', ü: 'u' });
const FOLDABLE = /[åäàáâöøóôæéèêü]/g;

export function fold(text: string): string {
  return text.toLowerCase().replace(FOLDABLE, (c) => FOLDS[c] ?? c);
}
