/** An instant as ClickHouse's DateTime64(3) text in UTC ('2026-12-03 07:00:00.000'), as rows and parameters take it. */
export function clickhouseTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}
