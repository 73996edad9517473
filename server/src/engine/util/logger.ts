export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** A logger that prefixes its messages with an area name ("Worker: ..."). */
  child(area: string): Logger;
}

/** A logger that writes lines at or above `level` through `write`. */
export function createLogger(write: (level: LogLevel, line: string) => void, getLevel: () => LogLevel, area = ''): Logger {
  const log = (level: LogLevel, message: string): void => {
    if (ORDER[level] > ORDER[getLevel()]) return;
    write(level, area ? `${area}: ${message}` : message);
  };
  return {
    error: (message) => log('error', message),
    warn: (message) => log('warn', message),
    info: (message) => log('info', message),
    debug: (message) => log('debug', message),
    child: (name) => createLogger(write, getLevel, area ? `${area}/${name}` : name),
  };
}

export const silentLogger: Logger = createLogger(() => undefined, () => 'error');
