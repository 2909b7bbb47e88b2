import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerSettings {
  readonly level: string;
  readonly format: 'json' | 'pretty';
  readonly redact: readonly string[];
  readonly base?: Readonly<Record<string, unknown>>;
  /** Defaults to standard output. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'nightjar', ...settings.base },
    redact: { paths: [...settings.redact], censor: '***' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (settings.format === 'pretty') {
    return pino(options, prettyStream(settings.destination ?? process.stdout));
  }
  return pino(options, settings.destination ?? process.stdout);
}

/** A dependency-free single-line formatter for terminals; JSON stays the default for log shippers. */
function prettyStream(out: NodeJS.WritableStream): NodeJS.WritableStream & { write(chunk: string): boolean } {
  const levels: Record<number, string> = {
    10: 'TRACE',
    20: 'DEBUG',
    30: 'INFO ',
    40: 'WARN ',
    50: 'ERROR',
    60: 'FATAL',
  };
  return {
    write(chunk: string): boolean {
      const { level, time, msg, service: _service, role, ...rest } = JSON.parse(chunk) as Record<string, unknown>;
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      const where = typeof role === 'string' ? ` [${role}]` : '';
      return out.write(
        `${String(time).slice(11, 23)} ${levels[Number(level)] ?? String(level)}${where} ${String(msg)}${extra}\n`,
      );
    },
  } as NodeJS.WritableStream & { write(chunk: string): boolean };
}
