import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '@nightjar/bus/memory';
import type { EventBus } from '@nightjar/bus';
import { failedSignIn, user } from '@nightjar/detections/testing';
import { decodeEvent, encodeSingleObject, EVENT_KINDS, type Alert } from '@nightjar/events';
import { createMemoryState } from '@nightjar/state/memory';
import { waitFor } from '@nightjar/testkit';
import { Detector } from './detector.ts';

let bus: EventBus;
let detector: Detector;
const metrics = new Registry();
const printed: Alert[] = [];

beforeAll(async () => {
  bus = createMemoryBus();
  await bus.ensureTopics(['signins', 'alerts', 'dead-letters'].map((name) => ({ name, partitions: 2 })));
  detector = new Detector({
    bus,
    state: createMemoryState(),
    topics: ['signins'],
    alertTopic: 'alerts',
    deadLetterTopic: 'dead-letters',
    log: pino({ level: 'silent' }),
    metrics,
    onAlert: (alert) => printed.push(alert),
  });
  await detector.start();
});
afterAll(async () => {
  await detector.stop();
  await bus.close();
});

describe('detector', () => {
  it('turns a password spray on the bus into one alert on the alerts topic, and dead-letters what it cannot read', async () => {
    const spec = EVENT_KINDS['sign-in'];
    const start = Date.UTC(2026, 2, 2, 3, 0, 0);
    const spray = Array.from({ length: 20 }, (_, index) =>
      failedSignIn({
        event_id: `spray-${index}`,
        user_name: user(index),
        user_uid: `uid-${index}`,
        src_ip: '198.51.100.77',
        time: start + index * 20_000,
      }),
    );
    await bus.publish('signins', [
      ...spray.map((event) => ({ key: spec.key(event), value: encodeSingleObject(spec.schema, event) })),
      { key: 'bad', value: Buffer.from('not avro') },
    ]);
    await waitFor(async () => ((await bus.readTopic('dead-letters')).length > 0 ? true : undefined), 'the dead letter');
    const alerts = (await bus.readTopic('alerts')).map((message) => decodeEvent(message.value).event as Alert);
    const spray5 = alerts.filter((alert) => alert.rule_id === 'AUTH-005');
    expect(new Set(spray5.map((alert) => alert.alert_id)).size).toBe(1);
    expect(spray5.at(-1)).toMatchObject({ entity_type: 'ip', entity_id: '198.51.100.77' });
    expect(printed.length).toBe(alerts.length);
    const [letter] = (await bus.readTopic('dead-letters')).map((message) => decodeEvent(message.value).event);
    expect(letter).toMatchObject({ stage: 'detector', reason: expect.stringContaining('single-object') as string });
    const errors = await metrics.getSingleMetric('nightjar_detector_errors_total')!.get();
    expect(errors.values).toEqual([expect.objectContaining({ labels: { kind: 'undecodable' }, value: 1 })]);
  });
});
