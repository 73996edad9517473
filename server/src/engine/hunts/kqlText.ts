// Helpers that write KQL literals; every text the product inserts goes through these.

/** A double-quoted KQL string literal, with `\` and `"` escaped. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A verbatim string literal (`@"..."`), where only `"` needs escaping, by doubling. */
export function kqlVerbatimString(value: string): string {
  return `@"${value.replace(/"/g, '""')}"`;
}

export function kqlStringList(values: readonly string[]): string {
  return values.map(kqlString).join(', ');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column or table name, bracket-quoted when it is not a plain identifier. */
export function kqlName(name: string): string {
  return IDENTIFIER.test(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
