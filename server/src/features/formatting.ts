import { TextEdit } from 'vscode-languageserver/node';
import { FormatOutcome } from '../engine/editing/formatting';
import { Logger } from '../engine/util/logger';

/** Logs each hunt a formatting run left as it was, with the reason, and returns the run's edits. */
export function reportedEdits(outcome: FormatOutcome, uri: string, logger: Logger): TextEdit[] {
  for (const skipped of outcome.skipped) logger.info(`Left the hunt at ${uri}:${skipped.line} unformatted because ${skipped.reason}.`);
  return outcome.edits;
}
