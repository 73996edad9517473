/** A mistake in the command line: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

/**
 * Rewords the two errors of `util.parseArgs` whose wording is about the parser, not the user:
 * an unknown option, and an option whose value starts with a dash (which it reads as an option).
 */
export function usageMessage(error: Error & { code?: string }): string {
  const option = /option '([^']+)'/i.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option '${option}'.`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option && error.message.includes('ambiguous')) {
    return `Option '${option}' needs a value; write a value that starts with '-' as ${option}=VALUE.`;
  }
  return error.message;
}
