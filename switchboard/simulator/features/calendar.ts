// The simulated calendar on the broker: it hears every presence of the organisation (retained ones
// from an earlier run, an operator's, its own echoes) so each change continues from the newest, and
// on its own rhythm of the clock publishes what the calendar (../calendar.ts) decides.
import { type Feature, listening } from '../../../events/feature.js';
import type { Logger } from '../../../log/logger.js';
import type { Message } from '../../../protocol/index.js';
import type { Clock } from '../../../rules/clock.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { Calendar } from '../calendar.js';

export interface CalendarFeature extends Feature {
  /** takes the first step a second from now (after the retained presences are in) */
  begin(): void;
}

export function calendarFeature(
  session: ContractSession,
  calendar: Calendar,
  clock: Clock,
  log: Logger,
): CalendarFeature {
  let timer: unknown;
  let stopped = false;
  const publishAll = async (messages: Message[]) => {
    for (const m of messages) await session.publish(m);
  };
  const step = () => {
    if (stopped) return;
    const { messages, delayMs } = calendar.step(clock.now());
    publishAll(messages).catch((e) => log.warn('publish failed', { error: (e as Error).message }));
    timer = clock.setTimeout(step, delayMs);
  };
  const feature = listening(
    session.bus,
    { presence: ({ message: m }) => calendar.seen(m.ext, m.body) },
    () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  );
  return {
    ...feature,
    begin() {
      if (!stopped) timer = clock.setTimeout(step, 1000);
    },
  };
}
