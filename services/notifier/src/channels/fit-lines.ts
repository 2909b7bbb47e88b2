import type { AlertView } from './channel.ts';

/** How much one alert line says; each chat renders it in its own markup. */
export interface LineDetail {
  readonly summaryChars: number;
  readonly ruleName: boolean;
  readonly tenant: boolean;
}

/** From the most to the least detailed; every part is capped so one line stays far below a block's limit. */
export const LINE_DETAILS: readonly LineDetail[] = [
  { summaryChars: 200, ruleName: true, tenant: true },
  { summaryChars: 80, ruleName: true, tenant: true },
  { summaryChars: 0, ruleName: true, tenant: true },
  { summaryChars: 0, ruleName: false, tenant: true },
  { summaryChars: 0, ruleName: false, tenant: false },
];

/** Where the lines go: `maxChunks` blocks of at most `chunkChars` characters each. */
export interface ChunkLimits {
  readonly chunkChars: number;
  readonly maxChunks: number;
}

export interface FittedLines {
  readonly chunks: readonly string[];
  /** Alerts left out because even the most compact lines did not fit. */
  readonly omitted: number;
}

/**
 * Lists one line per alert within a chat's size limits. Tries each line
 * format from the most to the least detailed and keeps the first that lists
 * every alert; only when even the most compact one is too long does it cut
 * the list, leaving room (`truncatedLimits`) for an "and N more" line.
 */
export function fitAlertLines(
  alerts: readonly AlertView[],
  formats: readonly ((alert: AlertView) => string)[],
  limits: ChunkLimits,
  truncatedLimits: ChunkLimits,
): FittedLines {
  let lines: string[] = [];
  for (const format of formats) {
    lines = alerts.map(format);
    const packed = packLines(lines, limits);
    if (packed.omitted === 0) return packed;
  }
  return packLines(lines, truncatedLimits);
}

/** Fills chunks in order, one line after another joined by newlines; stops at the first line that no longer fits. */
export function packLines(lines: readonly string[], limits: ChunkLimits): FittedLines {
  const chunks: string[] = [];
  let current = '';
  let placed = 0;
  for (const line of lines) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= limits.chunkChars) {
      current = candidate;
    } else {
      if (line.length > limits.chunkChars || chunks.length + 1 >= limits.maxChunks) break;
      chunks.push(current);
      current = line;
    }
    placed += 1;
  }
  if (current !== '') chunks.push(current);
  return { chunks, omitted: lines.length - placed };
}
