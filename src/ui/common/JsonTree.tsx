// A small, keyboard-accessible JSON tree: objects and arrays are <details> (native focus and Enter/Space).
import { memo } from 'react';

/** Props of {@link JsonTree}. */
export interface JsonTreeProps {
  value: unknown;
  /** Levels open initially (default 2). */
  openDepth?: number;
  /** Label of the root node. */
  label?: string;
}

function summaryOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).length}}`;
  return '';
}

function Primitive({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span className="json-string">{JSON.stringify(value)}</span>;
    case 'number':
      return <span className="json-number">{String(value)}</span>;
    case 'boolean':
      return <span className="json-boolean">{String(value)}</span>;
    default:
      return <span className="json-other">{String(value)}</span>;
  }
}

function Node({ name, value, depth, openDepth }: { name: string | null; value: unknown; depth: number; openDepth: number }) {
  const key = name !== null ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <li className="json-leaf">
        {key}
        <Primitive value={value} />
      </li>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return (
    <li className="json-branch">
      <details open={depth < openDepth}>
        <summary>
          {key}
          <span className="json-summary">{summaryOf(value)}</span>
        </summary>
        <ul className="json-children">
          {entries.map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
          ))}
        </ul>
      </details>
    </li>
  );
}

/** Renders `value` as a collapsible tree. */
export const JsonTree = memo(function JsonTree({ value, openDepth = 2, label }: JsonTreeProps) {
  return (
    <ul className="json-tree" aria-label={label}>
      <Node name={null} value={value} depth={0} openDepth={openDepth} />
    </ul>
  );
});
