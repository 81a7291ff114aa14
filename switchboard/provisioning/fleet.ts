// The organisation's devices as the broker retains them (birth/will, pushed config, the device's ack),
// folded from decoded messages, and how `hanvisa devices list` shows them. Pure.
import type { DeviceConfig, DeviceConfigAck, DeviceState, Message } from '../../protocol/index.js';

export interface DeviceStanding {
  deviceId: string;
  state?: DeviceState;
  /** the config IT pushed last (retained) */
  config?: DeviceConfig;
  /** the device's answer to the last config it saw (retained) */
  ack?: DeviceConfigAck;
}

export type Fleet = Map<string, DeviceStanding>;

/** Adds one retained device message to the fleet; an empty payload (a cleared topic) removes that part. */
export function addToFleet(fleet: Fleet, message: Message): void {
  if (
    message.kind !== 'device-state' &&
    message.kind !== 'device-config' &&
    message.kind !== 'device-config-ack'
  )
    return;
  const standing = fleet.get(message.deviceId) ?? { deviceId: message.deviceId };
  const part = ({ 'device-state': 'state', 'device-config': 'config', 'device-config-ack': 'ack' } as const)[
    message.kind
  ];
  if (message.body) Object.assign(standing, { [part]: message.body });
  else delete standing[part];
  if (standing.state || standing.config || standing.ack) fleet.set(message.deviceId, standing);
  else fleet.delete(message.deviceId);
}

/**
 * The version a new config must carry: above every version the broker shows for the device. The
 * device refuses an older version and silently ignores its current one, so the retained config alone
 * is not enough when it was cleared or the device applied a newer one from elsewhere.
 */
export function nextVersion(standing: DeviceStanding | undefined): number {
  return (
    Math.max(
      standing?.config?.version ?? 0,
      standing?.ack?.version ?? 0,
      standing?.state?.configVersion ?? 0,
    ) + 1
  );
}

/** One device for scripts (`--json`): what it is, where it serves, and how its config stands. */
export interface DeviceSummary {
  device: string;
  /** null: the device never announced itself */
  online: boolean | null;
  ext: string | null;
  model: string | null;
  keys: number | null;
  leds: number | null;
  hardwareId: string | null;
  firmware: string | null;
  agent: string | null;
  /** the version of the config IT pushed, and the one the device runs */
  configPushed: number | null;
  configApplied: number | null;
  /** the device's last answer: accepted or refused with its reason */
  ack: { version: number; ok: boolean; reason: string | null } | null;
  /** what the desk says it cannot do on its panel (a layout key or LED the panel lacks) */
  warnings: string[];
}

export function summarise(standing: DeviceStanding): DeviceSummary {
  const { state, config, ack } = standing;
  const panel = state?.panel;
  const appliedByAck = ack?.ok ? ack.version : undefined;
  return {
    device: standing.deviceId,
    online: state ? state.online : null,
    ext: state?.ext ?? config?.ext ?? null,
    model: panel?.model ?? null,
    keys: panel?.keys ?? null,
    leds: panel?.leds ?? null,
    hardwareId: panel?.hardwareId ?? null,
    firmware: panel?.firmware ?? null,
    agent: state?.agent ?? null,
    configPushed: config?.version ?? null,
    configApplied: state?.configVersion ?? appliedByAck ?? null,
    ack: ack ? { version: ack.version, ok: ack.ok, reason: ack.reason ?? null } : null,
    warnings: state?.online ? (state.warnings ?? []) : [],
  };
}

/** What a desk runs after refusing a push: IT must know whether the old layout is still in force. */
function stillRuns(applied: number | null): string {
  if (applied === null) return 'which config it runs is not known (it has not announced itself)';
  return applied === 0 ? 'still runs its file' : `still runs config ${applied}`;
}

/** The config column: what IT pushed against what the device said about it. */
export function configStanding(s: DeviceSummary): string {
  const pushed = s.configPushed;
  const { ack } = s;
  if (pushed === null) {
    // version 0 is the desk's own config file; a higher one came from a config since cleared
    if (s.configApplied === null) return 'no config pushed';
    return s.configApplied === 0
      ? 'no config pushed, runs its file'
      : `runs config ${s.configApplied}, none pushed`;
  }
  if (ack?.version === pushed)
    return ack.ok
      ? `config ${pushed} applied`
      : `config ${pushed} REFUSED: ${ack.reason ?? 'no reason given'}; ${stillRuns(s.configApplied)}`;
  return `config ${pushed} pending${s.configApplied !== null ? ` (runs ${s.configApplied})` : ''}`;
}

/** One line per device, sorted by device id, columns aligned. */
export function formatFleet(summaries: DeviceSummary[]): string {
  const rows = summaries.map((s) => [
    s.device,
    s.online === null ? 'never seen' : s.online ? 'online' : 'offline',
    s.ext ? `ext ${s.ext}` : 'no ext',
    s.model ? `${s.model} ${s.keys ?? '?'} keys ${s.leds ?? '?'} LEDs` : 'no panel',
    [s.agent ? `agent ${s.agent}` : undefined, s.firmware ? `firmware ${s.firmware}` : undefined]
      .filter(Boolean)
      .join(', ') || '-',
    configStanding(s) + s.warnings.map((w) => `; WARNING ${w}`).join(''),
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function sortedSummaries(fleet: Fleet): DeviceSummary[] {
  return [...fleet.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1)).map(summarise);
}
