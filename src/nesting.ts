// How deep a GraphQL document or a JSON value nests, measured without recursion, so that no input can overflow the stack measuring it.
//
// graphql-js parses and validates recursively, and JSON.stringify or any recursive walk of a 5,000-deep variable
// overflows the stack ("Maximum call stack size exceeded"). These scans are loops: the document's text is read once,
// counting `{`, `(` and `[` outside strings, block strings and comments; a JSON value is walked with an explicit stack.

/** Whether `source` (GraphQL text) nests `{`, `(` or `[` deeper than `max` outside strings, block strings and comments. */
export function documentNestsDeeperThan(source: string, max: number): boolean {
  let depth = 0;
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === 0x22 /* " */) {
      if (source.startsWith('"""', i)) {
        // A block string ends at the next """ that is not escaped as \""".
        i += 3;
        while (i < n && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        // A string ends at the next unescaped " (or, unterminated, at the line's end: the parser refuses it).
        i++;
        while (i < n && source[i] !== '"' && source[i] !== '\n' && source[i] !== '\r') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === 0x7b /* { */ || c === 0x28 /* ( */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x29 /* ) */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return false;
}

/** Whether a JSON-like value nests objects or arrays deeper than `max` (the value itself at depth 1 when it is one). */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object' || current instanceof Blob) continue;
    if (depth > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
