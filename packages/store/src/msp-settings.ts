import type { HistoryStore } from './port.ts';
import { clickhouseTime } from './time.ts';

export type MspSettingsKind = 'detection' | 'notification';

/** The settings documents MSPs keep through the API (table msp_settings), newest version of each. */
export interface MspSettingsDocuments {
  /** Every MSP's document of that kind. */
  all(kind: MspSettingsKind): Promise<Map<string, string>>;
  one(mspId: string, kind: MspSettingsKind): Promise<string | undefined>;
  write(mspId: string, kind: MspSettingsKind, document: string, updatedBy: string): Promise<void>;
}

export function mspSettingsDocuments(store: HistoryStore): MspSettingsDocuments {
  return {
    async all(kind) {
      const rows = await store.query<{ msp_id: string; document: string }>(
        'SELECT msp_id, document FROM msp_settings FINAL WHERE kind = {kind:String}',
        { kind },
      );
      return new Map(rows.map((row) => [row.msp_id, row.document]));
    },
    async one(mspId, kind) {
      const [row] = await store.query<{ document: string }>(
        'SELECT document FROM msp_settings FINAL WHERE msp_id = {msp:String} AND kind = {kind:String}',
        { msp: mspId, kind },
      );
      return row?.document;
    },
    async write(mspId, kind, document, updatedBy) {
      await store.insert('msp_settings', [
        {
          msp_id: mspId,
          kind,
          document,
          updated_by: updatedBy,
          updated_time: clickhouseTime(Date.now()),
          version: Date.now(),
        },
      ]);
    },
  };
}
