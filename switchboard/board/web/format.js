// What a row says, in the operator's language: pure functions of (row, now, language, time zone),
// so the "overdue 10 min" text is recomputed live in the browser without the server.

export const TEXT = {
  sv: {
    available: 'Tillgänglig',
    unknown: 'Okänd',
    back: 'tillbaka',
    overdue: 'försenad',
    furtherNotice: 'tills vidare',
    search: 'Sök namn, anknytning, avdelning …',
    name: 'Namn',
    ext: 'Ankn.',
    department: 'Avdelning',
    state: 'Status',
    returns: 'Åter',
    alt: 'Alternativt svarsställe',
    waiting: 'Meddel.',
    desk: 'Bordsenhet',
    online: 'ansluten',
    offline: 'frånkopplad',
    live: 'Live',
    reconnecting: 'Återansluter …',
    brokerDown: 'Ingen brokerkontakt: senast kända läge',
    people: 'personer',
    away: 'borta',
    overdueCount: 'försenade',
    offlineCount: 'frånkopplade',
    voicemail: 'röstbrev',
    messages: 'meddelanden',
    direct: 'Direkt',
    mobile: 'Mobil',
    since: 'Sedan',
    note: 'Notering',
    forward: 'Vidarekopplad till',
    info: 'Info',
    openDesk: 'Öppna bordsenhet',
    queue: 'kö',
    waitingCalls: 'väntar',
    in: 'inne',
    next: 'nästa åter',
    allAway: 'Hela avdelningen borta',
    mustAnswer: 'Ingen kan svara',
    closed: 'stängt',
    phoneHours: 'Telefontid',
    none: 'Inga träffar',
    waitingForData: 'Väntar på katalog och hänvisningar från brokern …',
    awayReason: 'Borta',
    setReferral: 'Hänvisa',
    untilAt: 'Åter kl.',
    untilDate: 'Åter datum',
    altForward: 'Koppla till ankn.',
    altInfo: 'Info till växeln',
    open: 'Tillgänglig',
    takeMessage: 'Ta meddelande',
    from: 'Från',
    number: 'Nummer',
    text: 'Meddelande',
    saveMessage: 'Spara meddelande',
    handled: 'Hanterat',
    callbackBy: 'ring tillbaka senast',
    takenBy: 'tagit av',
    logout: 'Logga ut',
    openAccess: 'Öppen åtkomst',
    saved: 'Sparat',
    failed: 'Misslyckades',
    today: 'I dag',
    week: 'Veckan',
    openNow: 'öppet nu',
    closedNow: 'stängt nu',
    noHours: 'inga telefontider',
    allAwayWhy: 'alla med känt läge är borta under telefontiden',
    onCall: 'Jour',
    calendar: 'kalender',
    calendarFailing: 'kan inte läsas',
    calendarLastRead: 'senast läst',
    mustAnswerWhy: 'måste alltid svara och ingen är tillgänglig',
    mustAnswerLabel: 'Måste alltid svara',
    coveredBy: 'täcks av',
    nobody: 'ingen',
    inNow: 'Inne',
    awayNow: 'Borta',
    unknownNow: 'Okänt läge',
    nextBack: 'Nästa åter',
    more: 'till',
    days: ['mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön'],
  },
  da: {
    available: 'Til stede',
    unknown: 'Ukendt',
    back: 'tilbage',
    overdue: 'overskredet',
    furtherNotice: 'indtil videre',
    search: 'Søg navn, lokalnummer, afdeling …',
    name: 'Navn',
    ext: 'Lokal',
    department: 'Afdeling',
    state: 'Status',
    returns: 'Tilbage',
    alt: 'Alternativt svarsted',
    waiting: 'Beskeder',
    desk: 'Bordenhed',
    online: 'forbundet',
    offline: 'afbrudt',
    live: 'Live',
    reconnecting: 'Genforbinder …',
    brokerDown: 'Ingen brokerforbindelse: senest kendte status',
    people: 'personer',
    away: 'væk',
    overdueCount: 'overskredet',
    offlineCount: 'afbrudt',
    voicemail: 'talebesked',
    messages: 'beskeder',
    direct: 'Direkte',
    mobile: 'Mobil',
    since: 'Siden',
    note: 'Note',
    forward: 'Viderestillet til',
    info: 'Info',
    openDesk: 'Åbn bordenhed',
    queue: 'kø',
    waitingCalls: 'venter',
    in: 'inde',
    next: 'næste tilbage',
    allAway: 'Hele afdelingen væk',
    mustAnswer: 'Ingen kan svare',
    closed: 'lukket',
    phoneHours: 'Telefontid',
    none: 'Ingen resultater',
    waitingForData: 'Venter på katalog og status fra brokeren …',
    awayReason: 'Fraværende',
    setReferral: 'Registrér fravær',
    untilAt: 'Tilbage kl.',
    untilDate: 'Tilbage dato',
    altForward: 'Viderestil til lokalnr.',
    altInfo: 'Info til omstillingen',
    open: 'Til stede',
    takeMessage: 'Tag imod besked',
    from: 'Fra',
    number: 'Nummer',
    text: 'Besked',
    saveMessage: 'Gem besked',
    handled: 'Håndteret',
    callbackBy: 'ring tilbage senest',
    takenBy: 'taget af',
    logout: 'Log ud',
    openAccess: 'Åben adgang',
    saved: 'Gemt',
    failed: 'Mislykkedes',
    today: 'I dag',
    week: 'Ugen',
    openNow: 'åbent nu',
    closedNow: 'lukket nu',
    noHours: 'ingen telefontid',
    allAwayWhy: 'alle med kendt status er væk i telefontiden',
    onCall: 'Vagt',
    calendar: 'kalender',
    calendarFailing: 'kan ikke læses',
    calendarLastRead: 'sidst læst',
    mustAnswerWhy: 'skal altid svare, og ingen er til stede',
    mustAnswerLabel: 'Skal altid svare',
    coveredBy: 'dækkes af',
    nobody: 'ingen',
    inNow: 'Inde',
    awayNow: 'Væk',
    unknownNow: 'Ukendt status',
    nextBack: 'Næste tilbage',
    more: 'mere',
    days: ['man', 'tir', 'ons', 'tor', 'fre', 'lør', 'søn'],
  },
  en: {
    available: 'Available',
    unknown: 'Unknown',
    back: 'back',
    overdue: 'overdue',
    furtherNotice: 'until further notice',
    search: 'Search name, extension, department …',
    name: 'Name',
    ext: 'Ext.',
    department: 'Department',
    state: 'State',
    returns: 'Back',
    alt: 'Alternative answering point',
    waiting: 'Msgs',
    desk: 'Desk',
    online: 'online',
    offline: 'offline',
    live: 'Live',
    reconnecting: 'Reconnecting …',
    brokerDown: 'Broker unreachable: last known state',
    people: 'people',
    away: 'away',
    overdueCount: 'overdue',
    offlineCount: 'offline',
    voicemail: 'voicemail',
    messages: 'messages',
    direct: 'Direct',
    mobile: 'Mobile',
    since: 'Since',
    note: 'Note',
    forward: 'Forwarded to',
    info: 'Info',
    openDesk: 'Open desk',
    queue: 'queue',
    waitingCalls: 'waiting',
    in: 'in',
    next: 'next back',
    allAway: 'Whole department away',
    mustAnswer: 'Nobody can answer',
    closed: 'closed',
    phoneHours: 'Phone hours',
    none: 'No matches',
    waitingForData: 'Waiting for the directory and presences from the broker …',
    awayReason: 'Away',
    setReferral: 'Set referral',
    untilAt: 'Back at',
    untilDate: 'Back on',
    altForward: 'Forward to ext.',
    altInfo: 'Info for the operator',
    open: 'Available',
    takeMessage: 'Take a message',
    from: 'From',
    number: 'Number',
    text: 'Message',
    saveMessage: 'Save message',
    handled: 'Handled',
    callbackBy: 'call back by',
    takenBy: 'taken by',
    logout: 'Log out',
    openAccess: 'Open access',
    saved: 'Saved',
    failed: 'Failed',
    today: 'Today',
    week: 'Week',
    openNow: 'open now',
    closedNow: 'closed now',
    noHours: 'no phone hours',
    allAwayWhy: 'everyone whose state is known is away during phone hours',
    onCall: 'On call',
    calendar: 'calendar',
    calendarFailing: 'cannot be read',
    calendarLastRead: 'last read',
    mustAnswerWhy: 'must always answer and nobody is available',
    mustAnswerLabel: 'Must always answer',
    coveredBy: 'covered by',
    nobody: 'nobody',
    inNow: 'In',
    awayNow: 'Away',
    unknownNow: 'State unknown',
    nextBack: 'Next back',
    more: 'more',
    days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  },
};

export const LANGS = ['sv', 'da', 'en'];

/** 'available' | 'away' | 'overdue' | 'unknown' (no presence ever received) */
export function stateOf(row, now) {
  if (row.status === 'available') return 'available';
  if (row.status !== 'away') return 'unknown';
  if (row.until && Date.parse(row.until) <= now) return 'overdue';
  return 'away';
}

const clockFormats = new Map();
/** Date and time parts of an instant in a time zone (en-GB names: weekday 'Mon'…), formatter cached per zone. */
export function localParts(ms, timeZone) {
  const key = timeZone ?? '';
  let f = clockFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    clockFormats.set(key, f);
  }
  const out = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "13:00" today, "tis 08:00" within a week, "2/12 08:00" later (in the organisation's time zone). */
export function clock(iso, now, lang, timeZone) {
  const ms = Date.parse(iso);
  const t = localParts(ms, timeZone);
  const hm = `${t.hour}:${t.minute}`;
  const today = localParts(now, timeZone);
  if (t.year === today.year && t.month === today.month && t.day === today.day) return hm;
  if (ms - now < 6 * 86_400_000 && ms > now) return `${TEXT[lang].days[WEEKDAYS.indexOf(t.weekday)]} ${hm}`;
  return `${Number(t.day)}/${Number(t.month)} ${hm}`;
}

export function duration(ms) {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) {
    const m = minutes % 60;
    return m ? `${Math.floor(minutes / 60)} h ${m} min` : `${Math.floor(minutes / 60)} h`;
  }
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/** The return column: "tillbaka 13:00", "försenad 10 min", "tills vidare", or '' when available/unknown. */
export function returnText(row, now, lang, timeZone) {
  const t = TEXT[lang];
  const state = stateOf(row, now);
  if (state === 'available' || state === 'unknown') return '';
  if (!row.until) return t.furtherNotice;
  if (state === 'overdue') return `${t.overdue} ${duration(now - Date.parse(row.until))}`;
  return `${t.back} ${clock(row.until, now, lang, timeZone)}`;
}

export function reasonLabel(code, lang, catalogue) {
  const found = catalogue.find((r) => r.code === code);
  // 'away' is what a viewer gets for a private reason (the server reduces it): shown as "Borta".
  if (!found && code === 'away') return TEXT[lang].awayReason;
  return found ? found.labels[lang] : code;
}

/** The state column: the reason's label while away, "Available" otherwise. */
export function stateText(row, lang, catalogue) {
  if (row.status === 'available') return TEXT[lang].available;
  if (row.status === 'away') return reasonLabel(row.reason, lang, catalogue);
  return TEXT[lang].unknown;
}

export function altText(alt, lang) {
  if (!alt) return '';
  if (alt.kind === 'forward') return `→ ${alt.to}${alt.name ? ` ${alt.name}` : ''}`;
  return alt.text ? `${TEXT[lang].info}: ${alt.text}` : TEXT[lang].info;
}

/** Waiting time of a queue's oldest call, m:ss. */
export function waited(iso, now) {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
