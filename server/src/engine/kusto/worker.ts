// Entry point of the analysis worker thread: serves WorkerRequests with Kusto.Language.
import { parentPort } from 'node:worker_threads';
import { Catalog } from '../schema/catalog';
import { KustoAnalyzer } from './analyzer';
import { isEditingRequest, KustoEditing } from './editingService';
import { errorMessage, loadKusto } from './loadKusto';
import { WorkerMessage, WorkerReply } from './types';

const port = parentPort;
if (!port) throw new Error('kustoWorker must run as a worker thread.');

const analyzer = new KustoAnalyzer(Catalog.builtIn());
const editing = new KustoEditing(loadKusto(), (text, environment) => analyzer.bind(text, environment));
analyzer.warmUp();
port.postMessage({ ready: true });

function handle(message: WorkerMessage): unknown {
  if (isEditingRequest(message)) return editing.handle(message);
  switch (message.method) {
    case 'analyze':
      return analyzer.analyze(message.text, message.environment);
    case 'complete':
      return analyzer.complete(message.text, message.environment, message.offset, message.maxItems);
    case 'quickInfo':
      return analyzer.quickInfo(message.text, message.environment, message.offset);
    case 'classify':
      return analyzer.classify(message.text, message.environment);
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
