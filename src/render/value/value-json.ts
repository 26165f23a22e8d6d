// The `--json` rendering of a ValueNode: the model as data, with addresses as `0x…` strings and
// `constructorName` spelled `constructor` as the JSON shape has it.
import type { ValueNode } from '../../analysis/inspect/value-node.js';

/** Converts a ValueNode to the plain JSON shape (for JSON.stringify). */
export function valueToJson(node: ValueNode): unknown {
  return JSON.parse(
    JSON.stringify(node, (key, v: unknown) => {
      if (key === 'address' && typeof v === 'number') return '0x' + v.toString(16);
      return v;
    }).replace(/"constructorName":/g, '"constructor":'),
  );
}

/** Renders a ValueNode as indented JSON text (no trailing newline). */
export function renderValueJson(node: ValueNode): string {
  return JSON.stringify(valueToJson(node), null, 2);
}
