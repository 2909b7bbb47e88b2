import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { EventBus } from '@nightjar/bus';
import { createMemoryBus } from '@nightjar/bus/memory';
import { systemClock } from '@nightjar/core';
import { testAlert } from '@nightjar/detections/testing';
import { encodeEvent, eventTopicSpecs, type Alert } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { createMemoryState } from '@nightjar/state/memory';
import { waitFor } from '@nightjar/testkit';
import type { Channel, Notification } from './channels/channel.ts';
import { parseNotifications } from './notifications-file.ts';
import { Notifier } from './notifier.ts';

const PREFIX = 'resume.';
const settings = parseNotifications(
  JSON.stringify({
    msps: [
      {
        id: 'msp-r',
        targets: { siem: { kind: 'webhook', url: 'https://siem.example.com/hook', signingSecret: 'x'.repeat(32) } },
        defaultTargets: ['siem'],
      },
    ],
  }),
  'test',
);

function alert(id: string, revision = 1): Alert {
  return testAlert({
    alert_id: id,
    revision,
    msp_id: 'msp-r',
    rule_id: 'EXO-003',
    severity: 'high',
    entity_id: `${id}@contoso.example`,
  });
}

/** A webhook receiver in process; `hang` makes it take requests and never answer, as a process killed mid-request would leave them. */
function receiver(hang: boolean): Channel & { readonly got: Notification[] } {
  const got: Notification[] = [];
  return {
    kind: 'webhook',
    got,
    send: async (notification) => {
      got.push(notification);
      if (hang) await new Promise(() => undefined);
      return { status: 200, response: 'ok' };
    },
  };
}

async function notifierOn(bus: EventBus, state: StateStore, channel: Channel): Promise<Notifier> {
  await bus.ensureTopics(eventTopicSpecs(PREFIX, 1));
  const notifier = new Notifier({
    bus,
    state,
    settings: () => settings,
    channelFor: () => channel,
    alertsTopic: `${PREFIX}alerts`,
    deliveriesTopic: `${PREFIX}deliveries`,
    deadLetterTopic: `${PREFIX}dead-letters`,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    metrics: new Registry(),
  });
  await notifier.start();
  return notifier;
}

async function publish(bus: EventBus, ...alerts: Alert[]): Promise<void> {
  await bus.publish(
    `${PREFIX}alerts`,
    alerts.map((event) => ({ ...encodeEvent({ kind: 'alert', event }), key: event.alert_id })),
  );
}

describe('a notifier resuming after its predecessor died mid-delivery', () => {
  it('sends the unfinished notification again as it was, whatever batch its alerts now arrive in', async () => {
    const state = createMemoryState();
    const first = receiver(true);
    const crashedBus = createMemoryBus();
    await notifierOn(crashedBus, state, first);
    await publish(crashedBus, alert('a'), alert('b'));
    await waitFor(() => (first.got.length === 1 ? true : undefined), 'the first notification in flight');
    const inFlight = first.got[0]!;
    expect(inFlight.alerts.map((view) => view.alertId).sort()).toEqual(['a', 'b']);

    // The successor reads the same alerts again, cut into a different batch with one more alert.
    const second = receiver(false);
    const bus = createMemoryBus();
    await bus.ensureTopics(eventTopicSpecs(PREFIX, 1));
    await publish(bus, alert('b'), alert('c'), alert('a'));
    const successor = await notifierOn(bus, state, second);
    await waitFor(() => (second.got.length === 2 ? true : undefined), 'the successor to notify');
    await successor.stop();

    expect(second.got.map((notification) => notification.id)).toContain(inFlight.id);
    const again = second.got.find((notification) => notification.id === inFlight.id)!;
    expect(again.alerts.map((view) => view.alertId).sort()).toEqual(['a', 'b']);
    const other = second.got.find((notification) => notification.id !== inFlight.id)!;
    expect(other.alerts.map((view) => view.alertId)).toEqual(['c']);
    await state.close();
  });

  it('sends the unfinished notification again when the alert now arrives with a later revision', async () => {
    const state = createMemoryState();
    const first = receiver(true);
    const crashedBus = createMemoryBus();
    await notifierOn(crashedBus, state, first);
    await publish(crashedBus, alert('a'));
    await waitFor(() => (first.got.length === 1 ? true : undefined), 'the first notification in flight');
    const inFlight = first.got[0]!;

    const second = receiver(false);
    const bus = createMemoryBus();
    await bus.ensureTopics(eventTopicSpecs(PREFIX, 1));
    await publish(bus, alert('a'), alert('a', 2), alert('d'));
    const successor = await notifierOn(bus, state, second);
    await waitFor(() => (second.got.length === 2 ? true : undefined), 'the successor to notify');
    await successor.stop();

    const announcing = (id: string) =>
      second.got.filter(
        (notification) => !notification.update && notification.alerts.some((view) => view.alertId === id),
      );
    expect(announcing('a').map((notification) => notification.id)).toEqual([inFlight.id]);
    expect(announcing('d')).toHaveLength(1);
    await state.close();
  });

  it('does not announce an alert as new again when its predecessor died after delivering it', async () => {
    const state = createMemoryState();
    const first = receiver(false);
    const crashedBus = createMemoryBus();
    // The process dies right after the delivery, before it remembers having told the alert.
    let dead = false;
    const dying: StateStore = {
      ...state,
      set: (key, value, ttlMs) => {
        if (key.startsWith('notify/told/')) {
          dead = true;
          return new Promise<void>(() => undefined);
        }
        return state.set(key, value, ttlMs);
      },
    };
    await notifierOn(crashedBus, dying, first);
    await publish(crashedBus, alert('a'));
    await waitFor(() => (dead ? true : undefined), 'the delivery to finish');
    expect(first.got).toHaveLength(1);

    const second = receiver(false);
    const bus = createMemoryBus();
    await bus.ensureTopics(eventTopicSpecs(PREFIX, 1));
    await publish(bus, alert('a'), alert('a', 2), alert('e'));
    const successor = await notifierOn(bus, state, second);
    await waitFor(() => (second.got.length === 1 ? true : undefined), 'the successor to notify');
    await successor.stop();

    expect(second.got.flatMap((notification) => notification.alerts.map((view) => view.alertId))).toEqual(['e']);
    await state.close();
  });
});
