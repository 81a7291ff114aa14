// Types for fold.js (plain ES module served to the browser as is), so Node tests can import it.
export function fold(text: string): string;
