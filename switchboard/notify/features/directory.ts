// Keeps the notifier's directory (directory.ts) as the retained people, departments, settings, desk
// configs and referrals arrive; every later feature hears each event after this one.
import { type Feature, listening } from '../../../events/feature.js';
import type { NotifyContext } from '../context.js';

export function directoryFeature(ctx: NotifyContext): Feature {
  const { directory } = ctx;
  return listening(ctx.session.bus, {
    'directory-org': ({ message }) => directory.setOrg(message.body),
    'directory-person': ({ message }) => {
      if (message.body) directory.people.set(message.ext, message.body);
      else directory.people.delete(message.ext);
    },
    'directory-department': ({ message }) => {
      if (message.body) directory.departments.set(message.departmentId, message.body);
      else directory.departments.delete(message.departmentId);
    },
    'device-config': ({ message }) => directory.setDesk(message.deviceId, message.body?.ext),
    presence: ({ message }) => {
      if (message.body) directory.adoptPresence(message.ext, message.body);
      else directory.presences.delete(message.ext);
    },
  });
}
