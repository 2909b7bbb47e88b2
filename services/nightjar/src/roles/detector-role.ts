import { ALL_RULES, createMemorySettings, type SettingsDocument } from '@nightjar/detections';
import { Detector } from '@nightjar/detector';
import type { EventKind } from '@nightjar/events';
import type { RoleDefinition } from '../roles.ts';
import {
  acquireSimulatedEnvironment,
  releaseSimulatedEnvironment,
  simulatedDetectionSettings,
  usesSimulatedTenants,
} from '../simulated.ts';
import { layeredSettings, readDetectionSettingsFile } from './detection-settings-file.ts';
import { refreshing, SETTINGS_REFRESH_MS, storedDetectionSettings } from './stored-settings.ts';
import { eventTopic, eventTopicSpecs } from './topics.ts';

/** Every kind some rule reads: the detector subscribes to exactly those topics. */
const EVIDENCE: readonly EventKind[] = [...new Set(ALL_RULES.flatMap((rule) => rule.reads))];

export const detectorRole: RoleDefinition = {
  name: 'detector',
  // The store holds the settings each MSP keeps through the API.
  needs: ['bus', 'state', 'store'],
  create({ config, ports, log, metrics }) {
    // Read at once, so a file that does not validate stops the process at start-up.
    const fromFile: SettingsDocument = config.detection.file ? readDetectionSettingsFile(config.detection.file) : {};
    const settings = createMemorySettings(fromFile);
    // What the API's settings are laid over: the simulated world's, then the file's.
    let base: SettingsDocument = fromFile;
    let stopRefreshing: (() => void) | undefined;
    const announced = recentSeverities();
    const detector = new Detector({
      // One group per deployment: kafkajs assigns over every topic any member reads, so two
      // deployments sharing a group on one cluster would take each other's partitions.
      groupId: `${config.kafka.topicPrefix}detector`,
      settings,
      bus: ports.bus,
      state: ports.state,
      topics: EVIDENCE.map((kind) => eventTopic(config, kind)),
      alertTopic: eventTopic(config, 'alert'),
      deadLetterTopic: eventTopic(config, 'dead-letter'),
      log,
      metrics,
      // One line per alert as it is raised, and again when its severity changes, for whoever
      // watches the terminal or the logs; revisions that only add evidence are debug lines.
      onAlert: (alert) => {
        const before = announced.severityOf(alert.alert_id);
        announced.remember(alert.alert_id, alert.severity);
        const news = before === undefined ? alert.revision === 1 : before !== alert.severity;
        log[news ? 'info' : 'debug'](
          {
            alert: alert.alert_id,
            revision: alert.revision,
            severity: alert.severity,
            tenant: alert.tenant_id,
            rule: alert.rule_id,
            entity: alert.entity_id,
          },
          `ALERT ${alert.severity.toUpperCase()}${before !== undefined && before !== alert.severity ? ` (was ${before})` : ''} ${alert.rule_id} ${alert.rule_name}: ${alert.summary}`,
        );
      },
    });
    return {
      name: 'detector',
      start: async () => {
        if (usesSimulatedTenants(config)) {
          const { world, mspId } = await acquireSimulatedEnvironment(config, log);
          base = layeredSettings(simulatedDetectionSettings(world, mspId), fromFile);
          settings.replace(base);
        }
        stopRefreshing = refreshing(
          SETTINGS_REFRESH_MS,
          async () => {
            settings.replace(layeredSettings(base, { msps: await storedDetectionSettings(ports.store, log) }));
          },
          log,
          'stored detection settings',
        );
        await ports.bus.ensureTopics(eventTopicSpecs(config));
        await detector.start();
      },
      stop: async () => {
        stopRefreshing?.();
        await detector.stop();
        if (usesSimulatedTenants(config)) await releaseSimulatedEnvironment();
      },
      readiness: () => [{ name: 'consumer', ok: detector.ready() }],
    };
  },
};

/** The severity last printed per alert, for the most recent few thousand alerts (older ones fall out). */
function recentSeverities(capacity = 5_000) {
  const severities = new Map<string, string>();
  return {
    severityOf: (alertId: string): string | undefined => severities.get(alertId),
    remember(alertId: string, severity: string): void {
      severities.delete(alertId);
      severities.set(alertId, severity);
      if (severities.size > capacity) severities.delete(severities.keys().next().value!);
    },
  };
}
