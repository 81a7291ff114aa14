// The update feature: IT's device-update order (protocol/kinds.ts) carried out A/B style. The order's
// signature is checked before anything is fetched; the package's size, hash and signature before
// anything is unpacked; the release is staged beside the running one (update/releases.ts) and the
// agent ends so that systemd starts the new one. After a start it reports how the last switch ended:
// the new agent confirms once it is online, or the old one reports the rollback deploy/pi/boot-check.sh
// made. Every refusal is answered on cmd/result, counted, logged, and leaves this agent running.

import { readTextFile } from '../../../config/text-file.js';
import { type Feature, listening } from '../../../events/feature.js';
import type { DeviceUpdate } from '../../../protocol/index.js';
import { downloadPackage } from '../../update/download.js';
import { Releases } from '../../update/releases.js';
import { packageProblem, signatureProblem, updateKey } from '../../update/verify.js';
import { commandResult } from '../commands.js';
import type { AgentContext } from '../context.js';
import { AGENT_VERSION } from '../device-state.js';

/** `onUpdated`: end the process so its supervisor starts the release now linked as current. */
export function updateFeature(ctx: AgentContext, onUpdated: (() => void) | undefined): Feature {
  const { org, deviceId, update: settings } = ctx.config;
  const { session, log, desk } = ctx;
  const releases = settings && new Releases(settings.stateDir);
  const key = settings && updateKey(readTextFile(settings.publicKeyFile, 'update.publicKeyFile'));
  let underWay = false;

  const report = (id: string, ok: boolean, detail: string) =>
    session.send(commandResult(org, deviceId, ctx.now(), { id }, { ok, detail }));
  const refuse = (id: string, detail: string) => {
    desk.updateFailures++;
    log.warn('agent update refused', { id, detail });
    return report(id, false, `update refused: ${detail}; still running ${AGENT_VERSION}`);
  };

  const install = async (update: DeviceUpdate) => {
    if (!releases || !key || !settings || !onUpdated)
      return refuse(update.id, 'this desk takes no updates (no "update" in its config, or no supervisor)');
    if (underWay) return refuse(update.id, 'another update is under way');
    if (update.version === AGENT_VERSION) return refuse(update.id, `${AGENT_VERSION} is already running`);
    // nothing is fetched for an order IT did not sign
    const unsigned = signatureProblem(update, key);
    if (unsigned) return refuse(update.id, unsigned);
    underWay = true;
    try {
      const bytes = await downloadPackage(update.url, update.size, settings.downloadSeconds * 1000);
      const problem = packageProblem(bytes, update, key);
      if (problem) return await refuse(update.id, problem);
      const release = await releases.stage(bytes, update);
      releases.switchTo(release, {
        id: update.id,
        version: update.version,
        fromVersion: AGENT_VERSION,
        deadline: Math.floor(ctx.clock.now() / 1000) + settings.deadlineSeconds,
      });
      log.info('agent update staged: restarting into it', {
        id: update.id,
        version: update.version,
        release,
      });
      onUpdated();
    } catch (e) {
      await refuse(update.id, (e as Error).message);
    } finally {
      underWay = false;
    }
  };

  /** How the last switch ended, reported once the link is up; forgotten once the broker has the report. */
  const reportSwitch = async () => {
    if (releases)
      await reportSwitchOf(releases).catch((e: unknown) =>
        log.error('agent update: cannot read or clear its records', { error: (e as Error).message }),
      );
  };
  const reportSwitchOf = async (releases: Releases) => {
    const trial = releases.read('trial');
    if (trial && trial.version === AGENT_VERSION) {
      if (await report(trial.id, true, `updated: running ${AGENT_VERSION} (was ${trial.fromVersion})`)) {
        releases.forget('trial');
        releases.prune([releases.running(), trial.from]);
        log.info('agent update confirmed', { id: trial.id, version: AGENT_VERSION });
      }
    }
    const back = releases.read('rolled-back');
    if (back) {
      const detail = `rolled back to ${AGENT_VERSION}: ${back.version} ${back.reason ?? 'did not come online'}`;
      log.error('agent update rolled back', { id: back.id, version: back.version, reason: back.reason });
      if (await report(back.id, false, detail)) {
        desk.updateFailures++;
        releases.forget('rolled-back');
      }
    }
  };

  return listening(ctx.bus, {
    subscribed: () => void reportSwitch(),
    'device-update': ({ message }) => {
      if (message.deviceId === deviceId) void install(message.body);
    },
  });
}
