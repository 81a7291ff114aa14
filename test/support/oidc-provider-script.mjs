// A real OpenID provider (oidc-provider 8, the certified one) as its own process, for the OIDC tests:
// node oidc-provider-script.mjs CONFIG. CONFIG (JSON): {port, clients: [{client_id, client_secret,
// redirect_uris}], controlFile, idTokenTtl?}. The control file is read on every request, so a test can
// change it while the provider runs: {accounts: {login: {name, groups, extension?}}, wrongAudience?}.
// Its login page is oidc-provider's own development page (any password); consent is given at once, as
// a municipality's provider does for its own applications. Prints "ready" when it listens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const control = () => JSON.parse(readFileSync(config.controlFile, 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    ...c,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  })),
  cookies: { keys: ['hanvisa-test-provider-cookie-key'] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
    phone: ['extension'],
  },
  // Entra ID and Keycloak put the groups in the ID token itself: the relying party reads them there
  conformIdTokenClaims: false,
  scopes: ['openid', 'profile', 'groups', 'phone'],
  pkce: { required: () => true },
  ttl: { IdToken: config.idTokenTtl ?? 3600 },
  async findAccount(_ctx, id) {
    const account = control().accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, ...account };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile groups phone');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

// A misconfigured or hostile provider: an ID token made out to another application.
const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = function (...args) {
  if (control().wrongAudience)
    this.client = Object.create(this.client, { clientId: { value: 'another-application' } });
  return issue.apply(this, args);
};

provider.listen(config.port, '127.0.0.1', () => process.stdout.write('ready\n'));
