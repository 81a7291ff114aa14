// What a desk starts from after a (re)start: the journal when it has one, the config file otherwise.
import type { DeviceConfig } from '../../protocol/index.js';
import { type DeskSettings, settingsFromDeviceConfig } from './device-settings.js';
import type { JournalLoad } from './journal.js';
import type { SyncStart } from './presence-sync.js';

export interface DeskStart {
  settings: DeskSettings;
  sync: SyncStart;
  /** IT's last applied device config, journalled again with every change */
  lastConfig: DeviceConfig | undefined;
}

export function deskStart(load: JournalLoad, fromFile: DeskSettings): DeskStart {
  // A fresh desk may announce itself available; after a corrupt journal we know nothing and say nothing.
  const unknown: SyncStart = {
    presence: undefined,
    pending: false,
    mayAssumeAvailable: load.kind !== 'corrupt',
  };
  if (load.kind !== 'ok') return { settings: fromFile, sync: unknown, lastConfig: undefined };
  const { entry } = load;
  // IT's last config beats the file's: it is newer (to re-provision by hand, delete the journal).
  const settings = entry.deviceConfig ? settingsFromDeviceConfig(entry.deviceConfig) : fromFile;
  // A journal of another extension's presence is not ours.
  const sync =
    entry.ext === settings.ext && entry.presence
      ? { presence: entry.presence, pending: entry.pending, mayAssumeAvailable: true }
      : unknown;
  return { settings, sync, lastConfig: entry.deviceConfig };
}
