import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { RequestCancelledError } from '../engine/kusto/workerClient';

/**
 * Runs a request handler with a check for `$/cancelRequest`. A request the client cancelled
 * before its worker call ran fails with the protocol's RequestCancelled error, and its worker
 * call never runs.
 */
export async function unlessCancelled<T>(token: CancellationToken, work: (isCancelled: () => boolean) => Promise<T>): Promise<T> {
  try {
    return await work(() => token.isCancellationRequested);
  } catch (error) {
    if (error instanceof RequestCancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    throw error;
  }
}
