// What the recorder's integration test and its ingest bench both stand on: a real Mosquitto, a real
// PostgreSQL, a temp dir for SQLite files and a publisher connected to the broker.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { type Mosquitto, startMosquitto } from './mosquitto.js';
import { type Postgres, startPostgres } from './postgres.js';

export interface RecorderFixture {
  broker: Mosquitto;
  postgres: Postgres;
  dir: string;
  publisher: MqttClient;
  dispose(): Promise<void>;
}

export async function startRecorderFixture(dirPrefix: string): Promise<RecorderFixture> {
  const [broker, postgres, dir] = await Promise.all([
    startMosquitto(),
    startPostgres(),
    mkdtemp(join(tmpdir(), dirPrefix)),
  ]);
  const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  return {
    broker,
    postgres,
    dir,
    publisher,
    async dispose() {
      await publisher.endAsync();
      await Promise.all([broker.dispose(), postgres.dispose()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
