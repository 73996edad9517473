// The only place that loads Kusto.Language. The Bridge.NET build defines globals (`Bridge`,
// `System`, `Kusto`) instead of exporting, so the runtime must load before the library.
// Callers get the library object typed loosely: its own typings describe .NET generics that do
// not match what runs, so each use site converts results into this project's plain types.

/* eslint-disable @typescript-eslint/no-explicit-any */
export type KustoLanguage = any;
export type KustoObject = any;

let loaded: KustoLanguage | undefined;

export function loadKusto(): KustoLanguage {
  if (loaded) return loaded;
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  loaded = (globalThis as any).Kusto.Language;
  return loaded;
}

/** Converts a Bridge list (not JS-iterable) into an array. */
export function toArray<T = KustoObject>(list: KustoObject): T[] {
  if (!list) return [];
  const count: number = list.Count ?? list.length ?? 0;
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(list.getItem ? list.getItem(i) : list[i]);
  return items;
}

/** Bridge exceptions are not `Error` instances; this gets a message out of either. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const candidate = error as { Message?: string; message?: string } | null;
  return candidate?.Message ?? candidate?.message ?? String(error);
}
