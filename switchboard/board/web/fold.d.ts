// Types for fold.js (a module of the bundled page), for the Node tests and TypeScript that import it.
export function fold(text: string): string;
