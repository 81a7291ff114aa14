// Types of build-web.mjs for the TypeScript that calls it (the test suite's globalSetup).
export const WEB_BUNDLES: readonly { entry: string; out: string }[];
export function buildWeb(): Promise<void>;
