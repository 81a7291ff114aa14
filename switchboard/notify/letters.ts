// The notifier's letters, in the organisation's language (directory/org `locale`): a phone message
// (SAMSA §5, Guldborgsund "elektronisk telefonbesked": who called, the number, the text, the callback
// deadline, and the one-click "handled" link), the nudge before the return time (Grästorp/Essunga "om
// frånvarotiden inte går att hålla, gör en förlängning omedelbart") and the managers' alarm (Högsby,
// SAMSA §4.3/§6). Every text in Swedish, Danish and English. An SMS carries the same facts, shorter.
import { INTL_LOCALES, type Language, type PhoneMessage } from '../../protocol/index.js';
import type { Letter } from './mailer.js';

interface Texts {
  messageSubject: (from: string) => string;
  greeting: (name: string) => string;
  called: (who: string) => string;
  unknownCaller: string;
  callbackBy: (when: string) => string;
  noDeadline: string;
  taken: (when: string) => string;
  handledLink: string;
  smsMessage: (who: string, deadline: string) => string;
  nudgeSubject: (until: string) => string;
  nudgeText: (reason: string, until: string, step: number) => string;
  extendLink: (step: number) => string;
  alarmSubject: (department: string) => string;
  alarmText: (department: string, since: string) => string;
  footer: string;
}

export const LETTER_TEXTS: Record<Language, Texts> = {
  sv: {
    messageSubject: (from) => `Telefonmeddelande från ${from}`,
    greeting: (name) => `Hej ${name},`,
    called: (who) => `${who} har sökt dig och lämnat ett meddelande:`,
    unknownCaller: 'Någon',
    callbackBy: (when) => `Ring tillbaka senast ${when}.`,
    noDeadline: 'Ring tillbaka så snart du kan.',
    taken: (when) => `Taget av växeln ${when}.`,
    handledLink: 'När du har ringt tillbaka, markera meddelandet som hanterat:',
    smsMessage: (who, deadline) => `Telefonmeddelande: ${who}. ${deadline}`,
    nudgeSubject: (until) => `Din hänvisning går ut ${until}`,
    nudgeText: (reason, until, step) =>
      `Din hänvisning (${reason}) går ut ${until}. Hinner du inte tillbaka? Förläng med ${step} minuter:`,
    extendLink: (step) => `Förläng ${step} min`,
    alarmSubject: (department) => `Ingen svarar i telefon på ${department}`,
    alarmText: (department, since) =>
      `Alla på ${department} är hänvisade sedan ${since}, under telefontid. Ordna telefonbemanning.`,
    footer: 'Skickat av hanvisa, växelns hänvisningssystem.',
  },
  da: {
    messageSubject: (from) => `Telefonbesked fra ${from}`,
    greeting: (name) => `Hej ${name},`,
    called: (who) => `${who} har ringet og lagt en besked:`,
    unknownCaller: 'Nogen',
    callbackBy: (when) => `Ring tilbage senest ${when}.`,
    noDeadline: 'Ring tilbage så snart du kan.',
    taken: (when) => `Modtaget af omstillingen ${when}.`,
    handledLink: 'Når du har ringet tilbage, så markér beskeden som klaret:',
    smsMessage: (who, deadline) => `Telefonbesked: ${who}. ${deadline}`,
    nudgeSubject: (until) => `Din omstilling udløber ${until}`,
    nudgeText: (reason, until, step) =>
      `Din omstilling (${reason}) udløber ${until}. Når du ikke tilbage? Forlæng med ${step} minutter:`,
    extendLink: (step) => `Forlæng ${step} min`,
    alarmSubject: (department) => `Ingen tager telefonen i ${department}`,
    alarmText: (department, since) =>
      `Alle i ${department} er omstillet siden ${since}, i telefontiden. Sørg for telefondækning.`,
    footer: 'Sendt af hanvisa, omstillingens fraværssystem.',
  },
  en: {
    messageSubject: (from) => `Phone message from ${from}`,
    greeting: (name) => `Hello ${name},`,
    called: (who) => `${who} called and left a message:`,
    unknownCaller: 'Someone',
    callbackBy: (when) => `Call back by ${when}.`,
    noDeadline: 'Call back as soon as you can.',
    taken: (when) => `Taken by the switchboard ${when}.`,
    handledLink: 'Once you have called back, mark the message handled:',
    smsMessage: (who, deadline) => `Phone message: ${who}. ${deadline}`,
    nudgeSubject: (until) => `Your referral ends at ${until}`,
    nudgeText: (reason, until, step) =>
      `Your referral (${reason}) ends at ${until}. Not back by then? Extend by ${step} minutes:`,
    extendLink: (step) => `Extend ${step} min`,
    alarmSubject: (department) => `Nobody answers the phone in ${department}`,
    alarmText: (department, since) =>
      `Everyone in ${department} has been away since ${since}, in phone hours. Arrange phone cover.`,
    footer: 'Sent by hanvisa, the switchboard referral system.',
  },
};

/** A day and time in the organisation's zone and language: "tisdag 24 november 16:00". */
export function when(date: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(INTL_LOCALES[language], {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

export interface MessageLetterInput {
  message: PhoneMessage;
  /** the person's name, from the directory */
  name: string;
  deadline: Date | null;
  link: string;
  language: Language;
  timeZone: string;
}

const caller = (m: PhoneMessage, t: Texts) =>
  [m.from, m.number && `(${m.number})`].filter(Boolean).join(' ') || t.unknownCaller;

export function messageEmail(to: string, input: MessageLetterInput): Letter {
  const t = LETTER_TEXTS[input.language];
  const { message, deadline, language, timeZone } = input;
  const lines = [
    t.greeting(input.name),
    '',
    t.called(caller(message, t)),
    '',
    ...message.text.split('\n').map((l) => `  ${l}`),
    '',
    deadline ? t.callbackBy(when(deadline, language, timeZone)) : t.noDeadline,
    t.taken(when(new Date(message.at), language, timeZone)),
    '',
    t.handledLink,
    input.link,
    '',
    '-- ',
    t.footer,
  ];
  return {
    to,
    subject: t.messageSubject(message.from ?? message.number ?? t.unknownCaller),
    text: lines.join('\n'),
  };
}

/** The SMS: who, the text, the deadline and the link, in as few characters as the facts allow. */
export function messageSms(to: string, input: MessageLetterInput): Letter {
  const t = LETTER_TEXTS[input.language];
  const deadline = input.deadline
    ? t.callbackBy(when(input.deadline, input.language, input.timeZone))
    : t.noDeadline;
  const text = `${t.smsMessage(caller(input.message, t), deadline)}\n${input.message.text}\n${input.link}`;
  return { to, subject: '', text };
}

export interface NudgeLetterInput {
  name: string;
  reason: string;
  until: Date;
  step: number;
  link: string;
  language: Language;
  timeZone: string;
}

const clock = (date: Date, language: Language, timeZone: string) =>
  new Intl.DateTimeFormat(INTL_LOCALES[language], { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    date,
  );

/** The push notification's texts: a title, a line, and the extend button's label. */
export function nudgePush(input: Omit<NudgeLetterInput, 'name' | 'link'>): {
  title: string;
  body: string;
  action: string;
} {
  const t = LETTER_TEXTS[input.language];
  const at = clock(input.until, input.language, input.timeZone);
  return {
    title: t.nudgeSubject(at),
    body: t.nudgeText(input.reason, at, input.step),
    action: t.extendLink(input.step),
  };
}

export function nudgeEmail(to: string, input: NudgeLetterInput): Letter {
  const t = LETTER_TEXTS[input.language];
  const at = clock(input.until, input.language, input.timeZone);
  const text = [
    t.greeting(input.name),
    '',
    t.nudgeText(input.reason, at, input.step),
    input.link,
    '',
    '-- ',
    t.footer,
  ].join('\n');
  return { to, subject: t.nudgeSubject(at), text };
}

export interface AlarmLetterInput {
  department: string;
  since: Date;
  language: Language;
  timeZone: string;
}

/** The managers' alarm: an e-mail and an SMS without an address yet (the caller adds each contact's). */
export function alarmLetters(input: AlarmLetterInput): {
  email: Omit<Letter, 'to'>;
  sms: Omit<Letter, 'to'>;
} {
  const t = LETTER_TEXTS[input.language];
  const since = clock(input.since, input.language, input.timeZone);
  const text = t.alarmText(input.department, since);
  return {
    email: { subject: t.alarmSubject(input.department), text: [text, '', '-- ', t.footer].join('\n') },
    sms: { subject: '', text },
  };
}
