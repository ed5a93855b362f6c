/** One node of the inspector's field tree, linked to its bytes: the codec's reader records them as it reads. */
export interface FieldNode {
  /** Dotted path usable by setField, e.g. "certificate.subject". */
  path: string;
  name: string;
  offset: number;
  length: number;
  /** Human-readable value: text, number, or hex for bytes. */
  value: string;
  /** One line saying what the field is for. */
  explain: string;
  children?: FieldNode[];
}
