// `hanvisa simulate`: the simulated switchboard's traffic on a broker until stopped.
import { type CommandContext, printer, runUntilStopped } from '../../cli/context.js';
import { parse, type Spec } from '../../cli/options.js';
import { UsageError } from '../../cli/usage-error.js';
import { brokerOption, DEFAULT_BROKER, orgOption } from '../broker-options.js';
import { startSimulator } from './simulator.js';

const SIMULATE: Spec = {
  usage: `Usage: hanvisa simulate [--broker ${DEFAULT_BROKER}] [--org demo] [--seed 1]

Publishes a demo municipality's directory, then queue and voicemail traffic and calls to people (line
states, extension calls routed by the referrals), as a switchboard would.
  --broker  MQTT broker URL (default ${DEFAULT_BROKER})
  --org     organisation segment to publish under (default demo)
  --seed    traffic seed: the same seed replays the same traffic (default 1)`,
  options: { broker: { type: 'string' }, org: { type: 'string' }, seed: { type: 'string' } },
};

export async function simulateCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(SIMULATE, argv, ctx);
  if (!values) return;
  const seedText = (values.seed as string | undefined) ?? '1';
  if (!/^\d{1,10}$/.test(seedText))
    throw new UsageError(`--seed must be a whole number, got ${JSON.stringify(seedText)}`);
  const url = brokerOption(values.broker as string | undefined);
  const simulator = startSimulator({
    brokerUrl: url,
    org: orgOption((values.org as string | undefined) ?? 'demo'),
    seed: Number(seedText),
  });
  printer(ctx.stdout)(`simulating switchboard traffic on ${url}`);
  await runUntilStopped(ctx, () => simulator.stop());
}
