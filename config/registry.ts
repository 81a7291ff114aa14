// One shape for every adapter family (key-panel drivers, phone systems, calendar sources, stores):
// a registry lists `{ type, schema, create }`, and what a config file may say is built from that list,
// so a new adapter is its module and one registry line, and the config's check names every choice.
import { z } from 'zod';

/** One adapter: its name in config files, the settings it takes there, and how it is made. */
export interface Adapter<Type extends string, Schema extends z.ZodType, Needs, Made> {
  /** the config field (`sip`, `ics`) or the `type` value (`serial`) that picks this adapter */
  readonly type: Type;
  readonly schema: Schema;
  /** the adapter, from settings its own schema checked, and what the caller supplies */
  create(settings: z.output<Schema>, needs: Needs): Made;
}

/**
 * Any adapter of a family. `create` is a method, so each adapter's own settings type fits here; the
 * helpers below hand an adapter only settings its own schema produced.
 */
type AnyAdapter<Needs = never, Made = unknown> = Adapter<string, z.ZodType, Needs, Made>;

/** An adapter with `settings` typed from its schema. */
export function adapter<const Type extends string, Schema extends z.ZodType, Needs, Made>(
  entry: Adapter<Type, Schema, Needs, Made>,
): Adapter<Type, Schema, Needs, Made> {
  return entry;
}

const choices = (registry: readonly AnyAdapter[]) => registry.map((a) => a.type).join(', ');

// --- keyed: the adapter's settings under a field of its own name ({ "sip": {…} }), exactly one given

type KeyedFields<R extends readonly AnyAdapter[]> = {
  [A in R[number] as A['type']]: z.ZodOptional<A['schema']>;
};

/** The optional fields `{ sip?: …, webhook?: … }` to spread into the object that holds one of them. */
export function keyedFields<const R extends readonly AnyAdapter[]>(registry: R): KeyedFields<R> {
  return Object.fromEntries(registry.map((a) => [a.type, a.schema.optional()])) as KeyedFields<R>;
}

/** The object's schema, refusing it unless exactly one of the registry's fields is given. */
export function exactlyOne<S extends z.ZodObject>(schema: S, registry: readonly AnyAdapter[]): S {
  const keys = registry.map((a) => a.type);
  return schema.refine(
    (value: Record<string, unknown>) => keys.filter((k) => value[k] !== undefined).length === 1,
    `give exactly one of ${choices(registry)}`,
  );
}

/** The adapter for the one field `value` gives (checked by exactlyOne). */
export function createKeyed<Needs, Made>(
  registry: readonly AnyAdapter<Needs, Made>[],
  value: Record<string, unknown>,
  needs: Needs,
): Made {
  for (const entry of registry) {
    const settings = value[entry.type];
    if (settings !== undefined) return entry.create(settings, needs);
  }
  throw new Error(`none of ${choices(registry)} given`);
}

// --- tagged: the settings name their adapter in a `type` field ({ "type": "serial", … })

type TaggedAdapter = AnyAdapter & { readonly schema: z.ZodObject };
type Tagged<A> = A extends { type: infer T extends string; schema: z.ZodObject<infer Shape, infer Config> }
  ? z.ZodObject<Omit<Shape, 'type'> & { type: z.ZodLiteral<T> }, Config>
  : never;
type TaggedVariants<R extends readonly TaggedAdapter[]> = { -readonly [K in keyof R]: Tagged<R[K]> };

/** `{ type: "a", …a's settings } | { type: "b", … }`, an unknown type answered with the choices. */
export function taggedUnion<const R extends readonly [TaggedAdapter, ...TaggedAdapter[]]>(registry: R) {
  const variants = registry.map((a) => a.schema.extend({ type: z.literal(a.type) }));
  // the map keeps the registry's order and length, which the mapped tuple type says
  return z.discriminatedUnion('type', variants as unknown as TaggedVariants<R>, {
    error: (issue) => (issue.code === 'invalid_union' ? `one of ${choices(registry)}` : undefined),
  });
}

// --- first fit: the value itself says which adapter takes it (postgres://… or a file path)

/** The first adapter whose schema takes `value`, made from what its schema made of it. */
export function createFirstFit<Needs, Made>(
  registry: readonly AnyAdapter<Needs, Made>[],
  value: unknown,
  needs: Needs,
): Made {
  for (const entry of registry) {
    const settings = entry.schema.safeParse(value);
    if (settings.success) return entry.create(settings.data, needs);
  }
  throw new Error(`${JSON.stringify(value)} fits none of ${choices(registry)}`);
}
