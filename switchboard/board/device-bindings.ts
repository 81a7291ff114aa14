// Which extension a desk device lights on the board, and whether it is online. The extension is IT's
// assignment (the retained device/{id}/config), never the device's own claim (the ext in its
// device/{id}/state): a desk naming another extension must not make that person look online
// (docs/protocol.md, "Security"). Pure; the board model moves the device between rows.

/** Where a device shows: its assigned extension, whether it is online, and what it warns of (a layout that does not fit). */
export interface Binding {
  ext: string;
  online: boolean;
  warnings: readonly string[];
  /** the versions its state reports (an online desk's birth; the will says none), for IT during an upgrade */
  versions: DeviceVersions;
  /** the agent says whether its key panel is plugged in (absent: it does not say) */
  panelConnected: boolean | undefined;
}

/** A desk's agent and its panel's firmware, as its device state reports them; null when it does not say. */
export interface DeviceVersions {
  agent: string | null;
  firmware: string | null;
}

/** What the board reads from a device/{id}/state. */
export interface DeviceStateFacts {
  online: boolean;
  ext?: string | undefined;
  warnings?: readonly string[] | undefined;
  agent?: string | undefined;
  panel?: { firmware?: string | undefined } | undefined;
  panelConnected?: boolean | undefined;
}

interface Device {
  /** the extension IT assigned (device/{id}/config), if any */
  assigned: string | undefined;
  /** the last device/{id}/state, if any; a will without ext claims nothing */
  state: DeviceStateFacts | undefined;
}

export interface BindingChange {
  before: Binding | undefined;
  after: Binding | undefined;
  /** the device's state names another extension than its assignment: shown nowhere */
  refused: { claimed: string; assigned: string } | undefined;
}

function bindingOf(d: Device | undefined): Binding | undefined {
  if (!d?.assigned || !d.state) return undefined; // unassigned, or never heard from
  if (d.state.ext !== undefined && d.state.ext !== d.assigned) return undefined;
  return {
    ext: d.assigned,
    online: d.state.online,
    warnings: d.state.warnings ?? [],
    versions: { agent: d.state.agent ?? null, firmware: d.state.panel?.firmware ?? null },
    panelConnected: d.state.panelConnected,
  };
}

export class DeviceBindings {
  private readonly devices = new Map<string, Device>();

  /** device/{id}/config arrived (null: cleared, the device retired). */
  config(key: string, ext: string | null): BindingChange {
    return this.update(key, (d) => {
      d.assigned = ext ?? undefined;
    });
  }

  /** device/{id}/state arrived (null: cleared). */
  state(key: string, body: DeviceStateFacts | null): BindingChange {
    return this.update(key, (d) => {
      d.state = body ?? undefined;
    });
  }

  private update(key: string, change: (d: Device) => void): BindingChange {
    const d = this.devices.get(key) ?? { assigned: undefined, state: undefined };
    const before = bindingOf(d);
    change(d);
    if (d.assigned === undefined && d.state === undefined) this.devices.delete(key);
    else this.devices.set(key, d);
    const claimed = d.state?.ext;
    const refused =
      d.assigned !== undefined && claimed !== undefined && claimed !== d.assigned
        ? { claimed, assigned: d.assigned }
        : undefined;
    return { before, after: bindingOf(d), refused };
  }
}
