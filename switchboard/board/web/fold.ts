// Search folds case and accents both ways, so "asa" finds Åsa, "zoe" Zoë, "jose" José, "soren" Søren,
// "aeble" Æble, and a typed "Åsa" still finds "Asa": every letter is decomposed (NFKD) and its marks
// dropped; the letters Unicode does not decompose (ø, æ, ß, ł, đ, œ) are spelled the way a Nordic
// keyboard without them would type them.
const SPELLED: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd' };
const UNDECOMPOSED = /[øæœßłđ]/g;
const MARKS = /\p{M}/gu;

export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(MARKS, '')
    .replace(UNDECOMPOSED, (c) => SPELLED[c] ?? c);
}
