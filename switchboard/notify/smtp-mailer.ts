// E-mail through the municipality's SMTP relay, with nodemailer (the field's standard: STARTTLS,
// AUTH, pooled connections). Plain text only: the link must survive every mail client and filter.
import nodemailer from 'nodemailer';
import { DeliveryError, type Letter, type Mailer } from './mailer.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it */
  secure: boolean;
  from: string;
  username?: string | undefined;
  password?: string | undefined;
  /** refuse a relay without STARTTLS (the default outside loopback tests) */
  requireTls: boolean;
}

export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ignoreTLS: !settings.secure && !settings.requireTls,
    // one connection kept open: a burst of messages does not pay a TCP and TLS handshake each
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
  });
  return {
    channel: 'email',
    label: `smtp ${settings.host}:${settings.port}`,
    async send(letter: Letter) {
      try {
        await transport.sendMail({
          from: settings.from,
          to: letter.to,
          subject: letter.subject,
          text: letter.text,
        });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        // 5xx: the server will say the same next time (no such mailbox, relay denied)
        const permanent = code !== undefined && code >= 500;
        throw new DeliveryError(
          code !== undefined ? `smtp ${code}` : `smtp ${(e as Error).message}`,
          permanent,
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}
