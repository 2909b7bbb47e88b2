import type { NightjarConfig } from '@nightjar/config';
import { createSealer, notificationSettingsContext } from '@nightjar/core';
import { parseMspConfig, type MspConfig } from '@nightjar/detections';
import { parseNotifications, type MspNotifications } from '@nightjar/notifier';
import type { Logger } from '@nightjar/runtime';
import { mspSettingsDocuments, type HistoryStore } from '@nightjar/store';

/** How soon a change made through the API reaches the detectors and notifiers. */
export const SETTINGS_REFRESH_MS = 30_000;

/**
 * Calls `load` now and then every `everyMs` until stopped; a failed load
 * (the store not migrated yet, ClickHouse away) keeps what was there. A
 * failure is a warning once, then a debug line per repeat until a load
 * succeeds again, so a store that stays unmigrated does not fill the log.
 */
export function refreshing(everyMs: number, load: () => Promise<void>, log: Logger, what: string): () => void {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    try {
      await load();
      if (failing) log.info(`read ${what} again`);
      failing = false;
    } catch (error) {
      if (failing) log.debug({ err: error }, `still cannot read ${what}`);
      else log.warn({ err: error }, `could not read ${what}; keeping the current ones and trying every ${everyMs} ms`);
      failing = true;
    }
    if (!stopped) timer = setTimeout(() => void run(), everyMs);
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Every MSP's detection settings kept through the API; a document that no longer validates is skipped. */
export async function storedDetectionSettings(store: HistoryStore, log: Logger): Promise<Record<string, MspConfig>> {
  const stored: Record<string, MspConfig> = {};
  for (const [mspId, document] of await mspSettingsDocuments(store).all('detection')) {
    try {
      stored[mspId] = parseMspConfig(JSON.parse(document));
    } catch (error) {
      log.warn({ msp: mspId, err: error }, 'stored detection settings do not validate; this MSP keeps the defaults');
    }
  }
  return stored;
}

/** Every MSP's notification settings kept through the API, opened with security.encryptionKey. */
export async function storedNotificationSettings(
  config: NightjarConfig,
  store: HistoryStore,
  log: Logger,
): Promise<Map<string, MspNotifications>> {
  const stored = new Map<string, MspNotifications>();
  const documents = await mspSettingsDocuments(store).all('notification');
  if (documents.size === 0) return stored;
  if (!config.security.encryptionKey) {
    log.warn('notification settings are stored but security.encryptionKey is not set to open them');
    return stored;
  }
  const sealer = createSealer(config.security.encryptionKey);
  for (const [mspId, sealed] of documents) {
    try {
      const document = JSON.parse(sealer.open(sealed, notificationSettingsContext(mspId))) as Record<string, unknown>;
      const parsed = parseNotifications(
        JSON.stringify({ msps: [{ ...document, id: mspId }] }),
        `stored settings of ${mspId}`,
      );
      const settings = parsed.get(mspId);
      if (settings) stored.set(mspId, settings);
    } catch (error) {
      log.warn({ msp: mspId, err: error }, 'stored notification settings do not open or validate; skipped');
    }
  }
  return stored;
}
