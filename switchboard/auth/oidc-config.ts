// The OIDC file: which identity provider the board trusts (Entra ID, ADFS, Keycloak), as which client,
// and how its groups or app roles become hanvisa roles, organisations and a person's extension. One
// JSON file for IT, validated like every config file: every bad field named (docs/access.md, "OpenID Connect").
import { z } from 'zod';
import { readJsonFile } from '../../config/json-file.js';
import { SEGMENT_PATTERNS } from '../../protocol/index.js';
import { Role, roleProblems } from './users.js';

const Org = z.string().regex(SEGMENT_PATTERNS.org, 'org: lower-case letters, digits, -');
const Department = z
  .string()
  .regex(SEGMENT_PATTERNS.departmentId, 'department: lower-case letters, digits, _ -');
const ClaimName = z.string().min(1).max(200);

export const RoleMapping = z
  .strictObject({
    /** the value in the groups (or roles) claim: a group's object id, a group name, an app role */
    group: z.string().min(1).max(256),
    role: Role,
    orgs: z.union([z.literal('*'), z.array(Org).min(1).max(64)]),
    departments: z.array(Department).min(1).max(64).optional(),
  })
  .superRefine((m, ctx) => {
    // staff need their extension from the claim, so only the organisation and departments are checked here
    for (const problem of roleProblems({ ...m, ext: '0' }))
      ctx.addIssue({ code: 'custom', message: problem });
  });
export type RoleMapping = z.infer<typeof RoleMapping>;

export const OidcConfig = z.strictObject({
  /** the provider's issuer URL; its /.well-known/openid-configuration is read at the first login */
  issuer: z.url(),
  clientId: z.string().min(1).max(256),
  /** a file holding the client secret on one line (never the secret itself in this file) */
  clientSecretFile: z.string().min(1),
  /** where the provider sends the browser back: https://{board}/login/callback, registered at the provider */
  redirectUri: z.url(),
  /** default openid profile; add what the provider needs for the groups claim (e.g. "groups") */
  scopes: z
    .array(z.string().regex(/^[\x21-\x7e]+$/))
    .min(1)
    .max(20)
    .default(['openid', 'profile']),
  claims: z
    .strictObject({
      /** default preferred_username (Entra ID, Keycloak); ADFS: upn */
      username: ClaimName.default('preferred_username'),
      name: ClaimName.default('name'),
      /** default groups; "roles" for Entra ID app roles */
      groups: ClaimName.default('groups'),
      /** the claim with the person's extension or phone number; none: no one gets the staff role */
      ext: ClaimName.optional(),
      /** take the last N digits of that number as the extension (0512-55 21 01 → 2101); default all digits */
      extLastDigits: z.number().int().min(1).max(15).optional(),
    })
    .prefault({}),
  roles: z.array(RoleMapping).min(1).max(1000),
  /**
   * how long a login lasts before the board asks the provider again (a silent redirect with SSO): a
   * person removed from the group loses access within this; default 60 min
   */
  recheckMinutes: z
    .number()
    .int()
    .min(1)
    .max(12 * 60)
    .default(60),
  /** plain http to the provider: only for a provider on this machine (tests); refused otherwise */
  allowHttp: z.boolean().default(false),
});
export type OidcConfig = z.infer<typeof OidcConfig>;

/** The OIDC file; a ConfigFileError names the file and every bad field. */
export function loadOidcConfig(path: string): OidcConfig {
  return readJsonFile(path, OidcConfig, 'OIDC file');
}
