import { z } from 'zod';
import { configSchema } from './schema.ts';

/** One leaf of the configuration, as users meet it in YAML, env and docs. */
export interface SettingInfo {
  readonly path: string;
  readonly env: string;
  readonly type: 'string' | 'number' | 'boolean' | 'array' | 'enum';
  readonly values?: readonly string[];
  readonly default?: unknown;
  readonly description: string;
  readonly secret: boolean;
}

interface JsonSchemaNode {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  secret?: boolean;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
}

export function envNameFor(path: string): string {
  return `NIGHTJAR_${path
    .split('.')
    .map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_')}`;
}

/** JSON Schema of the file format (input side: before defaults and secret wrapping). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}

let cached: SettingInfo[] | undefined;

export function listSettings(): readonly SettingInfo[] {
  cached ??= collect(configJsonSchema(), []);
  return cached;
}

function collect(node: JsonSchemaNode, path: string[]): SettingInfo[] {
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => collect(child, [...path, key]));
  }
  const leaf = node.anyOf?.find((option) => option.type !== 'null') ?? node;
  const dotted = path.join('.');
  const info: SettingInfo = {
    path: dotted,
    env: envNameFor(dotted),
    type: leafType(leaf),
    description: node.description ?? leaf.description ?? '',
    secret: Boolean(node.secret ?? leaf.secret),
    ...(leaf.enum ? { values: leaf.enum.map(String) } : {}),
    ...(leaf.type === 'array' && leaf.items?.enum ? { values: leaf.items.enum.map(String) } : {}),
    ...(node.default !== undefined ? { default: node.default } : {}),
  };
  return [info];
}

function leafType(node: JsonSchemaNode): SettingInfo['type'] {
  if (node.enum) return 'enum';
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (type === 'array') return 'array';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'string';
}
