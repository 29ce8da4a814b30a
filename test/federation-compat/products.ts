// The compatibility suite's `products` subgraph (its products.graphql and data set) built with OUR stack: Pothos 4 + plugin-directives + plugin-federation on yoga 5 with inline traces.
//
// It is not the Bird schema: it proves that the exact Pothos, federation plugin, yoga and inline-trace versions of
// the root package.json implement the subgraph spec. Every import below resolves from the root node_modules
// (this folder installs only the suite, the gateway and Apollo Server), so the versions are the ones we ship.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { useApolloInlineTrace } from '@graphql-yoga/plugin-apollo-inline-trace';
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { createYoga } from 'graphql-yoga';

// This folder's node_modules holds a second copy of graphql (a peer of the gateway). The schema must be built with
// the copy Pothos and yoga load, or graphql-js rejects it ("another module or realm"): resolve it from Pothos.
const graphql = createRequire(fileURLToPath(import.meta.resolve('@pothos/core')))('graphql') as typeof import('graphql');

const PORT = Number(process.env.PRODUCTS_PORT ?? 4001);

interface User {
  email: string;
  name?: string;
  totalProductsCreated?: number | null;
  yearsOfEmployment?: number;
}
interface CaseStudy {
  caseNumber: string;
  description: string | null;
}
interface ProductResearch {
  study: CaseStudy;
  outcome: string | null;
}
interface Product {
  id: string;
  sku: string;
  package: string;
  variation: { id: string };
  dimensions: { size: string; weight: number; unit: string };
  research: ProductResearch[];
  createdBy: User;
  notes: string | null;
}
interface DeprecatedProduct {
  sku: string;
  package: string;
  reason: string;
  createdBy: User;
}

// The data set of the suite's COMPATIBILITY.md.
const dimension = { size: 'small', weight: 1, unit: 'kg' };
const user: User = { email: 'support@apollographql.com', name: 'Jane Smith', totalProductsCreated: 1337, yearsOfEmployment: 10 };
const deprecatedProduct: DeprecatedProduct = {
  sku: 'apollo-federation-v1',
  package: '@apollo/federation-v1',
  reason: 'Migrate to Federation V2',
  createdBy: user,
};
const research: ProductResearch[] = [
  { study: { caseNumber: '1234', description: 'Federation Study' }, outcome: null },
  { study: { caseNumber: '1235', description: 'Studio Study' }, outcome: null },
];
const products: Product[] = [
  {
    id: 'apollo-federation',
    sku: 'federation',
    package: '@apollo/federation',
    variation: { id: 'OSS' },
    dimensions: dimension,
    research: [research[0]!],
    createdBy: user,
    notes: null,
  },
  {
    id: 'apollo-studio',
    sku: 'studio',
    package: '',
    variation: { id: 'platform' },
    dimensions: dimension,
    research: [research[1]!],
    createdBy: user,
    notes: null,
  },
];

const builder = new SchemaBuilder<{
  DefaultFieldNullability: false;
  Directives: { custom: { locations: 'OBJECT'; args: Record<string, never> } };
}>({
  // products.graphql marks the nullable fields, so non-null is the default here (unlike the Bird schema).
  defaultFieldNullability: false,
  plugins: [DirectivePlugin, FederationPlugin],
});

const UserRef = builder
  .externalRef('User', builder.selection<{ email: string }>('email'), (ref) => ({ ...ref }))
  .implement({
    externalFields: (t) => ({
      email: t.id(),
      totalProductsCreated: t.int({ nullable: true }),
      yearsOfEmployment: t.int(),
    }),
    fields: (t) => ({
      averageProductsCreatedPerYear: t.int({
        nullable: true,
        requires: builder.selection<{ totalProductsCreated?: number | null; yearsOfEmployment: number }>(
          'totalProductsCreated yearsOfEmployment',
        ),
        resolve: (u) => (u.totalProductsCreated ? Math.round(u.totalProductsCreated / u.yearsOfEmployment) : null),
      }),
      name: t.string({ nullable: true, override: { from: 'users' }, resolve: () => user.name ?? null }),
    }),
  });

const ProductVariation = builder.objectRef<{ id: string }>('ProductVariation').implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

const ProductDimension = builder.objectRef<Product['dimensions']>('ProductDimension').implement({
  shareable: true,
  fields: (t) => ({
    size: t.exposeString('size', { nullable: true }),
    weight: t.exposeFloat('weight', { nullable: true }),
    unit: t.exposeString('unit', { nullable: true, inaccessible: true }),
  }),
});

const CaseStudyRef = builder.objectRef<CaseStudy>('CaseStudy').implement({
  fields: (t) => ({
    caseNumber: t.exposeID('caseNumber'),
    description: t.exposeString('description', { nullable: true }),
  }),
});

const ProductResearchRef = builder.objectRef<ProductResearch>('ProductResearch').implement({
  fields: (t) => ({
    study: t.field({ type: CaseStudyRef, resolve: (r) => r.study }),
    outcome: t.exposeString('outcome', { nullable: true }),
  }),
});
builder.asEntity(ProductResearchRef, {
  key: builder.selection<{ study: { caseNumber: string } }>('study { caseNumber }'),
  resolveReference: (ref) => research.find((r) => r.study.caseNumber === ref.study.caseNumber) ?? null,
});

const ProductRef = builder.objectRef<Product>('Product').implement({
  directives: { custom: {} },
  fields: (t) => ({
    id: t.exposeID('id'),
    sku: t.exposeString('sku', { nullable: true }),
    package: t.exposeString('package', { nullable: true }),
    variation: t.field({ type: ProductVariation, nullable: true, resolve: (p) => p.variation }),
    dimensions: t.field({ type: ProductDimension, nullable: true, resolve: (p) => p.dimensions }),
    createdBy: t.field({
      type: UserRef.provides<{ totalProductsCreated: number }>('totalProductsCreated'),
      nullable: true,
      resolve: (p) => ({ email: p.createdBy.email, totalProductsCreated: p.createdBy.totalProductsCreated ?? 0 }),
    }),
    notes: t.exposeString('notes', { nullable: true, tag: 'internal' }),
    research: t.field({ type: [ProductResearchRef], resolve: (p) => p.research }),
  }),
});
builder.asEntity(ProductRef, {
  key: [
    builder.selection<{ id: string }>('id'),
    builder.selection<{ sku: string; package: string }>('sku package'),
    builder.selection<{ sku: string; variation: { id: string } }>('sku variation { id }'),
  ],
  resolveReference: (ref) =>
    products.find((p) =>
      'id' in ref
        ? p.id === ref.id
        : 'package' in ref
          ? p.sku === ref.sku && p.package === ref.package
          : p.sku === ref.sku && p.variation.id === ref.variation.id,
    ) ?? null,
});

const DeprecatedProductRef = builder.objectRef<DeprecatedProduct>('DeprecatedProduct').implement({
  fields: (t) => ({
    sku: t.exposeString('sku'),
    package: t.exposeString('package'),
    reason: t.exposeString('reason', { nullable: true }),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (p) => ({ email: p.createdBy.email }) }),
  }),
});
builder.asEntity(DeprecatedProductRef, {
  key: builder.selection<{ sku: string; package: string }>('sku package'),
  resolveReference: (ref) =>
    ref.sku === deprecatedProduct.sku && ref.package === deprecatedProduct.package ? deprecatedProduct : null,
});

// Inventory is an interface in the inventory subgraph; here it is an @interfaceObject adding a field to it.
const InventoryRef = builder.objectRef<{ id: string }>('Inventory').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    deprecatedProducts: t.field({ type: [DeprecatedProductRef], resolve: () => [deprecatedProduct] }),
  }),
});
builder.asEntity(InventoryRef, {
  key: builder.selection<{ id: string }>('id'),
  interfaceObject: true,
  resolveReference: (ref) => ref,
});

builder.queryType({
  fields: (t) => ({
    product: t.field({
      type: ProductRef,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, { id }) => products.find((p) => p.id === String(id)) ?? null,
    }),
    deprecatedProduct: t.field({
      type: DeprecatedProductRef,
      nullable: true,
      deprecationReason: 'Use product query instead',
      args: { sku: t.arg.string({ required: true }), package: t.arg.string({ required: true }) },
      resolve: (_root, args) =>
        args.sku === deprecatedProduct.sku && args.package === deprecatedProduct.package ? deprecatedProduct : null,
    }),
  }),
});

const schema = builder.toSubGraphSchema({
  // The suite accepts federation v2.0 to v2.3 in `@link` (the plugin's default is v2.6).
  linkUrl: 'https://specs.apollo.dev/federation/v2.3',
  composeDirectives: ['@custom'],
  directives: [
    new graphql.GraphQLDirective({ name: 'custom', locations: [graphql.DirectiveLocation.OBJECT] }),
  ],
  extensions: {
    directives: [{ name: 'link', args: { url: 'https://myspecs.dev/myCustomDirective/v1.0', import: ['@custom'] } }],
  },
});

const yoga = createYoga({ schema, graphqlEndpoint: '/', landingPage: false, graphiql: false, plugins: [useApolloInlineTrace()] });

createServer(yoga).listen(PORT, () => console.log(`products subgraph (Pothos + yoga) on :${PORT}`));
