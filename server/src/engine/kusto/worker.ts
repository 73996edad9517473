// Entry point of the analysis worker thread: serves WorkerRequests with Kusto.Language.
import { parentPort } from 'node:worker_threads';
import { Catalog } from '../schema/catalog';
import { KustoAnalyzer } from './analyzer';
import { errorMessage } from './loadKusto';
import { WorkerMessage, WorkerReply } from './types';

const port = parentPort;
if (!port) throw new Error('kustoWorker must run as a worker thread.');

const analyzer = new KustoAnalyzer(Catalog.builtIn());
analyzer.warmUp();
port.postMessage({ ready: true });

function handle(message: WorkerMessage): unknown {
  switch (message.method) {
    case 'analyze':
      return analyzer.analyze(message.text, message.environment);
    case 'complete':
      return analyzer.complete(message.text, message.environment, message.offset, message.maxItems);
    case 'quickInfo':
      return analyzer.quickInfo(message.text, message.environment, message.offset);
    case 'setSchema':
      return analyzer.setSchema(message.schema);
  }
}

port.on('message', (message: WorkerMessage) => {
  let reply: WorkerReply;
  try {
    reply = { id: message.id, ok: true, result: handle(message) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: errorMessage(error) };
  }
  port.postMessage(reply);
});
