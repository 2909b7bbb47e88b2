import { first, get, obj, type Rec } from './fields.ts';

/** A Management Activity record (also as a Sentinel OfficeActivity row). */
export function isManagementRecord(rec: Rec): boolean {
  return get(rec, 'RecordType') !== undefined && first(rec, 'CreationTime', 'Operation') !== undefined;
}

/** The `properties` of an Azure Monitor / Event Hub diagnostic record, or null for other shapes. */
export function diagnosticBody(rec: Rec): Rec | null {
  const properties = get(rec, 'properties');
  if (properties === undefined || first(rec, 'category', 'operationName', 'time') === undefined) return null;
  return obj(properties);
}
