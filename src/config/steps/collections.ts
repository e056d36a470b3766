/** Array and collection actions: `addItem`, `getItem`, `setItem`, `removeItem`, `getIndex`, `getSize`. */
import type { Node as YNode } from 'yaml';
import { bool, INVALID, map, object, optional, str } from '../codec.js';
import type { Codec, Decoded } from '../codec.js';
import type { DecodeContext } from '../context.js';
import { intComparisons, stringMatch } from '../conditions.js';
import type { IntComparisons, StringMatch } from '../conditions.js';
import { atMostOne, exactlyOne, forms } from '../forms.js';
import { intSource, javaInt } from '../int-source.js';
import type { IntSource, VarRef } from '../model.js';
import { varRef } from '../var-ref.js';

/** A value given verbatim or read from a variable (Hyperfoil's ObjectSource). */
export type ObjectSource = { readonly value: string } | { readonly fromVar: VarRef };

function objectSourceOf(v: { value?: string; fromVar?: VarRef }, what: string, node: YNode, cx: DecodeContext): ObjectSource | undefined {
  const which = exactlyOne(v, ['value', 'fromVar'], what, node, cx);
  if (which === 'value' && v.value !== undefined) return { value: v.value };
  if (which === 'fromVar' && v.fromVar !== undefined) return { fromVar: v.fromVar };
  return undefined;
}

const valueProps = {
  value: optional(str, 'Verbatim value.'),
  fromVar: optional(varRef, 'Read the value from this variable.'),
};

function missing(cx: DecodeContext, node: YNode, what: string, keys: Record<string, unknown>): boolean {
  const absent = Object.keys(keys).filter((k) => keys[k] === undefined);
  if (absent.length === 0) return false;
  cx.problem(node, `${what} needs ${absent.map((k) => `\`${k}\``).join(', ')}`);
  return true;
}

/** `addItem`: appends a value to the first unset slot of the array in `toVar`. */
export interface AddItemConfig {
  readonly toVar: VarRef;
  readonly item: ObjectSource;
}

export const addItemCodec: Codec<AddItemConfig> = forms<AddItemConfig>('addItem', {
  mapping: map(object({ ...valueProps, toVar: optional(varRef, 'Variable holding the array.') }, { what: 'addItem' }), (v, node, cx): Decoded<AddItemConfig> => {
    if (missing(cx, node, 'addItem', { toVar: v.toVar })) return INVALID;
    const item = objectSourceOf(v, 'addItem', node, cx);
    return item ? { toVar: v.toVar as VarRef, item } : INVALID;
  }),
});

/** `getItem`: element `index` of the array or list in `fromVar` into `toVar`. */
export interface GetItemConfig {
  readonly fromVar: VarRef;
  readonly index: IntSource;
  readonly toVar: VarRef;
}

export const getItemCodec: Codec<GetItemConfig> = forms<GetItemConfig>('getItem', {
  mapping: map(object({
    fromVar: optional(varRef, 'Variable holding an array or list.'),
    index: optional(intSource, 'Index of the element.'),
    toVar: optional(varRef, 'Target variable.'),
  }, { what: 'getItem' }), (v, node, cx): Decoded<GetItemConfig> => {
    if (missing(cx, node, 'getItem', { fromVar: v.fromVar, index: v.index, toVar: v.toVar })) return INVALID;
    return { fromVar: v.fromVar as VarRef, index: v.index as IntSource, toVar: v.toVar as VarRef };
  }),
});

/** `setItem`: sets element `index` of the array in `toVar`. */
export interface SetItemConfig {
  readonly toVar: VarRef;
  readonly index: IntSource;
  readonly item: ObjectSource;
}

export const setItemCodec: Codec<SetItemConfig> = forms<SetItemConfig>('setItem', {
  mapping: map(object({
    ...valueProps,
    index: optional(intSource, 'Index into the collection.'),
    toVar: optional(varRef, 'Variable holding the collection.'),
  }, { what: 'setItem' }), (v, node, cx): Decoded<SetItemConfig> => {
    if (missing(cx, node, 'setItem', { toVar: v.toVar, index: v.index })) return INVALID;
    const item = objectSourceOf(v, 'setItem', node, cx);
    return item ? { toVar: v.toVar as VarRef, index: v.index as IntSource, item } : INVALID;
  }),
});

/** `removeItem`: removes element `index` of the array in `fromVar`, shifting the later ones left. */
export interface RemoveItemConfig {
  readonly fromVar: VarRef;
  readonly index: IntSource;
}

export const removeItemCodec: Codec<RemoveItemConfig> = forms<RemoveItemConfig>('removeItem', {
  mapping: map(object({
    fromVar: optional(varRef, 'Variable holding the array.'),
    index: optional(intSource, 'Index of the removed element.'),
  }, { what: 'removeItem' }), (v, node, cx): Decoded<RemoveItemConfig> => {
    if (missing(cx, node, 'removeItem', { fromVar: v.fromVar, index: v.index })) return INVALID;
    return { fromVar: v.fromVar as VarRef, index: v.index as IntSource };
  }),
});

/** `getIndex`: index of the first element equal to `item` in `collection`, or -1, into the int variable `toVar`. */
export interface GetIndexConfig {
  readonly collection: VarRef;
  readonly item: ObjectSource;
  readonly toVar: VarRef;
}

const objectSource: Codec<ObjectSource> = forms<ObjectSource>('item', {
  inline: map(str, (value) => ({ value })),
  mapping: map(object(valueProps, { what: 'item' }), (v, node, cx) => objectSourceOf(v, 'item', node, cx) ?? INVALID),
});

export const getIndexCodec: Codec<GetIndexConfig> = forms<GetIndexConfig>('getIndex', {
  mapping: map(object({
    collection: optional(varRef, 'Variable holding the collection.'),
    item: optional(objectSource, 'The item looked up (by equality): a verbatim value, or {value | fromVar}.'),
    toVar: optional(varRef, 'Int variable that receives the index, or -1.'),
  }, { what: 'getIndex' }), (v, node, cx): Decoded<GetIndexConfig> => {
    if (missing(cx, node, 'getIndex', { collection: v.collection, item: v.item, toVar: v.toVar })) return INVALID;
    return { collection: v.collection as VarRef, item: v.item as ObjectSource, toVar: v.toVar as VarRef };
  }),
});

export type ItemFilter =
  | { readonly kind: 'int'; readonly comparisons: IntComparisons }
  | { readonly kind: 'string'; readonly match: StringMatch }
  | { readonly kind: 'bool'; readonly value: boolean };

/** `getSize`: the number of set elements (matching `filter`, if any) of the collection in `fromVar`, into `toVar`. */
export interface GetSizeConfig {
  readonly fromVar: VarRef;
  readonly toVar: VarRef;
  /** Stored when `fromVar` is unset or holds no array/collection; absent = that is an error. */
  readonly undefinedValue?: number;
  readonly filter?: ItemFilter;
}

const boolFilter = object({ value: optional(bool, 'Expected value; default true.') }, { what: 'boolFilter' });

export const getSizeCodec: Codec<GetSizeConfig> = forms<GetSizeConfig>('getSize', {
  mapping: map(object({
    fromVar: optional(varRef, 'Variable holding the collection.'),
    toVar: optional(varRef, 'Int variable that receives the size.'),
    undefinedValue: optional(javaInt, 'Value stored when `fromVar` holds no collection.'),
    intFilter: optional(intComparisons, 'Count only int items passing these comparisons.'),
    stringFilter: optional(stringMatch('stringFilter'), 'Count only string items matching.'),
    boolFilter: optional(boolFilter, 'Count only boolean items with this value.'),
  }, { what: 'getSize' }), (v, node, cx): Decoded<GetSizeConfig> => {
    if (missing(cx, node, 'getSize', { fromVar: v.fromVar, toVar: v.toVar })) return INVALID;
    if (!atMostOne(v, ['intFilter', 'stringFilter', 'boolFilter'], 'getSize', node, cx)) return INVALID;
    const filter: ItemFilter | undefined = v.intFilter ? { kind: 'int', comparisons: v.intFilter }
      : v.stringFilter ? { kind: 'string', match: v.stringFilter }
        : v.boolFilter ? { kind: 'bool', value: v.boolFilter.value ?? true } : undefined;
    return {
      fromVar: v.fromVar as VarRef, toVar: v.toVar as VarRef,
      ...(v.undefinedValue !== undefined ? { undefinedValue: v.undefinedValue } : {}), ...(filter ? { filter } : {}),
    };
  }),
});
