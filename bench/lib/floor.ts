import { Catalog } from '../../server/src/engine/schema/catalog';
import { Environment } from '../../server/src/engine/schema/types';
import { buildGlobals } from '../../server/src/engine/kusto/globals';
import { KustoObject, loadKusto } from '../../server/src/engine/kusto/loadKusto';

/**
 * Kusto.Language called directly in this process: the floor that the server's figures are
 * compared with. Only the library call is timed, on warmed-up symbol tables.
 */
export class KustoFloor {
  private readonly kusto = loadKusto();
  private readonly globals = new Map<Environment, KustoObject>();

  constructor(private readonly catalog = Catalog.builtIn()) {
    this.analyse('DeviceNetworkEvents | take 1', 'defender');
    this.analyse('CommonSecurityLog | take 1', 'sentinel');
  }

  private globalsFor(environment: Environment): KustoObject {
    let globals = this.globals.get(environment);
    if (!globals) {
      globals = buildGlobals(this.kusto, this.catalog, environment).globals;
      this.globals.set(environment, globals);
    }
    return globals;
  }

  /** Milliseconds to parse and analyse one block and read its diagnostics. */
  analyse(text: string, environment: Environment): number {
    const started = performance.now();
    const code = this.kusto.KustoCode.ParseAndAnalyze(text, this.globalsFor(environment));
    code.GetDiagnostics();
    return performance.now() - started;
  }

  complete(text: string, offset: number, environment: Environment): number {
    const started = performance.now();
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, this.globalsFor(environment));
    service.GetCompletionItems(offset);
    return performance.now() - started;
  }

  quickInfo(text: string, offset: number, environment: Environment): number {
    const started = performance.now();
    const service = new this.kusto.Editor.KustoCodeService.$ctor1(text, this.globalsFor(environment));
    service.GetQuickInfo(offset);
    return performance.now() - started;
  }
}
