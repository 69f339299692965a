import type { Logger } from '../types.js';

/** A logger that drops everything; the default in tests and library code without a logger. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
