// The notifier's port to the outside: a mailer takes one letter to one person and resolves once the
// mail or SMS server has taken it. E-mail (SMTP, Microsoft Graph) and SMS (an HTTP gateway) are
// adapters behind it, picked from the registries in mailers.ts, so the deliveries, the nudge and the
// managers' alarm never know which one they use.

/** One letter to one person: an address or a phone number, a subject (ignored by SMS) and the text. */
export interface Letter {
  to: string;
  subject: string;
  text: string;
}

export type Channel = 'email' | 'sms';

export interface Mailer {
  readonly channel: Channel;
  /** what the logs name it by (a host, a gateway's address): never a password */
  readonly label: string;
  /** resolves once the server accepted the letter; throws a DeliveryError otherwise */
  send(letter: Letter): Promise<void>;
  close(): Promise<void>;
}

/**
 * A letter the server did not take. `permanent`: trying again will not help (SMTP 5xx, an HTTP 4xx
 * other than 429: a wrong address or a wrong password), so the delivery fails at once and the board
 * says so; otherwise it is retried. The message says why without the letter's text or address.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
