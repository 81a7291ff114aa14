// Access control for the operators' board: mount createAuth()'s handle before the board's routes.
export * from './access.js';
export * from './csrf.js';
export * from './http.js';
export { safeNext } from './login-form.js';
export { loadOidcConfig, OidcConfig } from './oidc-config.js';
export * from './password.js';
export * from './ratelimit.js';
export { HSTS } from './responses.js';
export * from './revocations.js';
export { LOGIN_COOKIE } from './routes.js';
export * from './sessions.js';
export * from './users.js';
export * from './users-command.js';
