import type { Symbol as MorphSymbol, Type, TypeAliasDeclaration, TypeNode, ts as TsTypes } from 'ts-morph';
import { Node, ts } from './ts-morph.js';
import { classifiedDoc, type ClassifiedDoc } from './doc-tags.js';
import { ManifestError } from './errors.js';
import { locationOf } from './location.js';
import type { JSONSchemaProps } from './schema.js';
import { applySchemaTags } from './schema-tags.js';
import type { ConversionTag } from './tag-names.js';
import { conditionSchema, objectMetaSchema } from './well-known.js';

/** Where a type is being converted: the declaration (for error locations), a readable subject, the written type. */
export interface Site {
  node: Node;
  subject: string;
  typeNode?: TypeNode;
}

export interface PropertySchema {
  name: string;
  schema: JSONSchemaProps;
  optional: boolean;
}

type Mods = ReadonlySet<ConversionTag>;
const NO_MODS: Mods = new Set();

/**
 * Turns TypeScript types into structural OpenAPI schemas, inlining every referenced type (CRD
 * schemas may not use $ref). One instance per generation run; it is not reentrant across runs.
 */
export class SchemaConverter {
  private readonly active = new Set<TsTypes.Type>();

  constructor(private readonly projectDir: string) {}

  fail(site: Site, message: string, hint?: string, line?: number): never {
    throw new ManifestError(message, { location: locationOf(site.node, this.projectDir, site.subject, line), hint });
  }

  doc(node: Node, subject: string): ClassifiedDoc {
    return classifiedDoc(node, (line) => locationOf(node, this.projectDir, subject, line));
  }

  /** The schema of one property of an object type, with its doc comment and tags applied. */
  propertySchema(symbol: MorphSymbol, owner: string, ownerNode: Node): PropertySchema {
    const name = symbol.getName();
    const decl = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
    const site: Site = { node: decl ?? ownerNode, subject: `${owner}.${name}` };
    if (!decl) this.fail(site, `field '${name}' has no declaration the generator can read`);
    if (Node.isMethodSignature(decl) || Node.isMethodDeclaration(decl)) {
      this.fail(site, `field '${name}' is a method; API types hold data only`, 'Remove the method or move it out of the API type.');
    }
    if (name.startsWith('__@')) this.fail(site, `field '${name}' has a symbol key; JSON field names must be strings`);
    if (Node.isPropertySignature(decl) || Node.isPropertyDeclaration(decl)) site.typeNode = decl.getTypeNode();
    const doc = this.doc(decl, site.subject);
    for (const t of doc.rootTags) {
      if (t.name !== 'deprecated') this.fail(site, `@${t.name} belongs on the root type (the interface with apiVersion and kind), not on a field`, undefined, t.line);
    }
    const schema = this.typeSchema(symbol.getTypeAtLocation(decl), site, doc.conversion);
    if (doc.description !== undefined) schema.description = doc.description;
    applySchemaTags(schema, doc.schemaTags, { locate: (tag) => locationOf(decl, this.projectDir, site.subject, tag.line) });
    return { name, schema, optional: symbol.isOptional() };
  }

  /** Converts a type; `mods` are the conversion tags of the field (or declaration) being converted. */
  typeSchema(type: Type, site: Site, mods: Mods = NO_MODS): JSONSchemaProps {
    const aliases = aliasChain(type, site.typeNode).map((decl) => ({ decl, doc: this.doc(decl, decl.getName()) }));
    const allMods = new Set([...mods, ...aliases.flatMap((a) => [...a.doc.conversion])]);
    const innermost = aliases[aliases.length - 1]?.decl.getTypeNode();
    const schema = this.unaliasedSchema(type, innermost ? { ...site, typeNode: innermost } : site, allMods);
    // Inner aliases first, so the alias written at the use site has the last word on the description.
    for (const { decl, doc } of [...aliases].reverse()) {
      if (doc.description !== undefined) schema.description = doc.description;
      applySchemaTags(schema, doc.schemaTags, { locate: (tag) => locationOf(decl, this.projectDir, decl.getName(), tag.line) });
    }
    return schema;
  }

  private unaliasedSchema(type: Type, site: Site, mods: Mods): JSONSchemaProps {
    if (mods.has('intOrString')) return this.intOrString(type, site);
    if (type.isBoolean()) return { type: 'boolean' };
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
      if (!element) this.fail(site, `cannot read the element type of '${type.getText()}'`);
      const elementNode = site.typeNode && Node.isArrayTypeNode(site.typeNode) ? site.typeNode.getElementTypeNode() : undefined;
      // Conversion tags on an array describe its items: an array itself has no unknown fields.
      return { type: 'array', items: this.typeSchema(element, { ...site, subject: `${site.subject}[]`, typeNode: elementNode }, mods) };
    }
    if (type.isUnion() && !type.isEnum()) return this.unionSchema(type, site, mods);
    if (type.isUnion()) return this.literalUnion(type.getUnionTypes().filter((t) => !t.isNull() && !t.isUndefined()), site);
    return this.singleSchema(type, site, mods);
  }

  private unionSchema(type: Type, site: Site, mods: Mods): JSONSchemaProps {
    const all = type.getUnionTypes();
    const nullable = all.some((t) => t.isNull());
    const rest = all.filter((t) => !t.isNull() && !t.isUndefined());
    if (rest.length === 0) this.fail(site, `type '${type.getText()}' holds no value (only null/undefined)`);
    let schema: JSONSchemaProps;
    if (rest.length === 1) schema = this.typeSchema(rest[0]!, { ...site, typeNode: narrowNode(site.typeNode) }, mods);
    else if (rest.every((t) => t.isBooleanLiteral()) && rest.length === 2) schema = { type: 'boolean' };
    else if (rest.every((t) => t.isLiteral() || t.isBooleanLiteral())) schema = this.literalUnion(rest, site);
    else if (rest.every((t) => isStringy(t) || isNumeric(t))) schema = this.intOrString(type, site);
    else {
      const names = site.typeNode?.getText() ?? rest.map((t) => t.getText(site.node)).join(' | ');
      this.fail(site, `union type '${names}' cannot be expressed in a structural CRD schema`,
        'Use a string-literal union (an enum), number | string (int-or-string), or unknown with @preserveUnknownFields.');
    }
    if (nullable) schema.nullable = true;
    return schema;
  }

  /** A union of literals becomes an enum, in the order written where the source shows it. */
  private literalUnion(types: Type[], site: Site): JSONSchemaProps {
    const values = types.map((t) => (t.isBooleanLiteral() ? t.getText() === 'true' : (t.getLiteralValue() as unknown)));
    const kinds = new Set(values.map((v) => typeof v));
    if (kinds.size !== 1) this.fail(site, `union '${types.map((t) => t.getText()).join(' | ')}' mixes literal kinds`, 'Use literals of one kind: all strings or all numbers.');
    const kind = [...kinds][0];
    if (kind === 'object') this.fail(site, `bigint literals are not JSON numbers`, 'Use number.');
    const ordered = orderLikeSource(values, site.typeNode);
    if (kind === 'string') return { type: 'string', enum: ordered };
    if (kind === 'boolean') return { type: 'boolean', enum: ordered };
    return { type: values.every((v) => Number.isInteger(v)) ? 'integer' : 'number', enum: ordered };
  }

  private intOrString(type: Type, site: Site): JSONSchemaProps {
    const parts = type.isUnion() ? type.getUnionTypes().filter((t) => !t.isNull() && !t.isUndefined()) : [type];
    if (!parts.every((t) => isStringy(t) || isNumeric(t))) {
      this.fail(site, `@intOrString needs a number, string or number | string field, not '${type.getText()}'`);
    }
    return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }

  private singleSchema(type: Type, site: Site, mods: Mods): JSONSchemaProps {
    const text = (): string => site.typeNode?.getText() ?? type.getText(site.node);
    if (type.isAny()) {
      this.fail(site, `type '${text()}' resolves to 'any' (an explicit any, or an import the generator cannot resolve)`,
        'Give the field a concrete type; for free-form data use unknown with @preserveUnknownFields; import client-node types by name.');
    }
    if (type.isUnknown() || (type.getFlags() & ts.TypeFlags.NonPrimitive) !== 0) {
      if (mods.has('embeddedResource')) return { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true };
      if (mods.has('preserveUnknownFields')) return type.isUnknown() ? { 'x-kubernetes-preserve-unknown-fields': true } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      this.fail(site, `type '${text()}' has no schema unless tagged @preserveUnknownFields or @embeddedResource`, 'Add @preserveUnknownFields to keep arbitrary data, or @embeddedResource for a whole Kubernetes object.');
    }
    if (type.isString() || type.isTemplateLiteral()) return { type: 'string' };
    if (type.isNumber()) return { type: 'number' };
    if (type.isBoolean()) return { type: 'boolean' };
    if (type.isStringLiteral() || type.isNumberLiteral() || type.isBooleanLiteral()) return this.literalUnion([type], site);
    if (type.isBigInt() || type.isBigIntLiteral()) this.fail(site, `type '${text()}' (bigint) is not supported: JSON has no bigint`, 'Use number (with @format int64) or a string.');
    if ((type.getFlags() & ts.TypeFlags.ESSymbolLike) !== 0) this.fail(site, `type '${text()}' (symbol) is not supported: symbols are not JSON`);
    if (type.isNull() || type.isUndefined() || type.isVoid() || type.isNever()) this.fail(site, `type '${text()}' holds no value`);
    if (type.isTypeParameter()) this.fail(site, `type parameter '${text()}' is an unresolved generic`, 'Instantiate the generic type with concrete type arguments.');
    if (type.isTuple()) this.fail(site, `tuple type '${text()}' is not supported (CRD arrays have one item schema)`, 'Use an array or an object with named fields.');
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      this.fail(site, `type '${text()}' is a function; API types hold data only`);
    }
    if (type.isObject() || type.isIntersection()) return this.namedObjectSchema(type, site, mods);
    return this.fail(site, `type '${text()}' is not supported`);
  }

  private namedObjectSchema(type: Type, site: Site, mods: Mods): JSONSchemaProps {
    const symbol = type.getSymbol();
    const decl = symbol?.getDeclarations()[0];
    const name = symbol?.getName() ?? '';
    const file = decl?.getSourceFile().getFilePath() ?? '';
    if (name === 'Date' && isLibFile(file)) return { type: 'string', format: 'date-time' };
    if ((name === 'Condition' && file.includes('/__operator_ts_runtime__')) || (name === 'V1Condition' && file.includes('/@kubernetes/client-node/'))) return conditionSchema();
    if (name === 'V1ObjectMeta' && file.includes('/@kubernetes/client-node/')) return objectMetaSchema();
    if (isLibFile(file) && !name.startsWith('__')) {
      this.fail(site, `type '${name}' is not plain JSON data`, 'Use arrays, Record<string, T> or interfaces of data fields.');
    }
    const interfaceDecl = isLibFile(file) ? undefined : symbol?.getDeclarations().find((d) => Node.isInterfaceDeclaration(d) || Node.isClassDeclaration(d));
    const typeDoc = interfaceDecl ? this.doc(interfaceDecl, name) : undefined;
    const allMods = typeDoc ? new Set([...mods, ...typeDoc.conversion]) : mods;
    const schema = this.objectSchema(type, { ...site, subject: interfaceDecl ? name : site.subject }, allMods, site);
    if (interfaceDecl && typeDoc) {
      if (typeDoc.description !== undefined) schema.description = typeDoc.description;
      applySchemaTags(schema, typeDoc.schemaTags, { locate: (tag) => locationOf(interfaceDecl, this.projectDir, name, tag.line) });
    }
    return schema;
  }

  /** Properties (or a string index signature) of an object type. Recursive types are an error: no $ref. */
  objectSchema(type: Type, site: Site, mods: Mods = NO_MODS, useSite: Site = site): JSONSchemaProps {
    if (this.active.has(type.compilerType)) {
      this.fail(useSite, `type '${type.getText()}' refers to itself; CRD schemas cannot be recursive`, 'Break the cycle, or mark the field @preserveUnknownFields with type unknown.');
    }
    this.active.add(type.compilerType);
    try {
      const schema: JSONSchemaProps = { type: 'object' };
      const props = type.getProperties();
      const index = type.getStringIndexType();
      if (!index && type.getNumberIndexType()) this.fail(useSite, `type '${type.getText()}' has a number index signature; JSON object keys are strings`, 'Use Record<string, T>.');
      if (index && props.length > 0) {
        this.fail(useSite, `type '${type.getText()}' has both named fields and an index signature`, 'Structural schemas allow properties or additionalProperties, not both: move the map into its own field.');
      }
      if (index) {
        const free = index.isUnknown() || (index.getFlags() & ts.TypeFlags.NonPrimitive) !== 0;
        if (free && mods.has('preserveUnknownFields')) schema['x-kubernetes-preserve-unknown-fields'] = true;
        else schema.additionalProperties = this.typeSchema(index, { ...useSite, subject: `${useSite.subject}[key]`, typeNode: undefined });
      }
      const ownerNode = type.getSymbol()?.getDeclarations()[0] ?? useSite.node;
      const required: string[] = [];
      for (const prop of props) {
        const p = this.propertySchema(prop, site.subject, ownerNode);
        (schema.properties ??= {})[p.name] = p.schema;
        if (!p.optional) required.push(p.name);
      }
      if (required.length > 0) schema.required = required;
      if (mods.has('preserveUnknownFields')) schema['x-kubernetes-preserve-unknown-fields'] = true;
      if (mods.has('embeddedResource')) {
        schema['x-kubernetes-embedded-resource'] = true;
        if (!schema.properties) schema['x-kubernetes-preserve-unknown-fields'] = true;
      }
      return schema;
    } finally {
      this.active.delete(type.compilerType);
    }
  }
}

/**
 * The project's type aliases a use site goes through, outermost first. Aliases of primitives
 * (`type Port = number`) leave no trace on the type, so the written type nodes are followed too.
 */
function aliasChain(type: Type, typeNode: TypeNode | undefined): TypeAliasDeclaration[] {
  const chain: TypeAliasDeclaration[] = [];
  const add = (d: TypeAliasDeclaration | undefined): boolean => {
    if (!d || chain.includes(d) || isLibFile(d.getSourceFile().getFilePath())) return false;
    chain.push(d);
    return true;
  };
  let node = typeNode;
  while (node) {
    while (Node.isParenthesizedTypeNode(node)) node = node.getTypeNode();
    if (!Node.isTypeReference(node)) break;
    let symbol = node.getTypeName().getSymbol();
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
    const decl = symbol?.getDeclarations().find((d): d is TypeAliasDeclaration => Node.isTypeAliasDeclaration(d));
    if (!add(decl)) break;
    node = decl!.getTypeNode();
  }
  add(type.getAliasSymbol()?.getDeclarations().find((d): d is TypeAliasDeclaration => Node.isTypeAliasDeclaration(d)));
  return chain;
}

function isStringy(t: Type): boolean {
  return t.isString() || t.isStringLiteral() || t.isTemplateLiteral();
}

function isNumeric(t: Type): boolean {
  return t.isNumber() || t.isNumberLiteral();
}

function isLibFile(path: string): boolean {
  return /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(path);
}

/** `Foo | null` or `Foo | undefined` as written → the `Foo` node, so hints survive narrowing. */
function narrowNode(node: TypeNode | undefined): TypeNode | undefined {
  if (!node || !Node.isUnionTypeNode(node)) return node;
  const rest = node.getTypeNodes().filter((n) => !['null', 'undefined'].includes(n.getText()));
  return rest.length === 1 ? rest[0] : undefined;
}

/** Enum values in the order the union is written, when the written union holds exactly these values. */
function orderLikeSource(values: unknown[], node: TypeNode | undefined): unknown[] {
  let union = node;
  while (union && Node.isParenthesizedTypeNode(union)) union = union.getTypeNode();
  if (union && Node.isTypeReference(union)) {
    const alias = union.getTypeName().getSymbol()?.getDeclarations().find((d) => Node.isTypeAliasDeclaration(d));
    union = alias && Node.isTypeAliasDeclaration(alias) ? alias.getTypeNode() : undefined;
  }
  if (!union || !Node.isUnionTypeNode(union)) return values;
  const written: unknown[] = [];
  for (const member of union.getTypeNodes()) {
    if (!Node.isLiteralTypeNode(member)) continue;
    const lit = member.getLiteral();
    if (Node.isStringLiteral(lit)) written.push(lit.getLiteralValue());
    else if (Node.isNumericLiteral(lit)) written.push(lit.getLiteralValue());
    else if (Node.isTrueLiteral(lit)) written.push(true);
    else if (Node.isFalseLiteral(lit)) written.push(false);
  }
  const same = written.length === values.length && written.every((w) => values.includes(w));
  return same ? written : values;
}
