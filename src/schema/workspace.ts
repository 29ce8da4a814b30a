// Workspace: a loadable node under its organization, its federation entity and the workspace root fields.
import { builder } from '../builder.ts';
import type { Workspace as WireWorkspace } from '../bird/types.ts';
import type { Context } from '../context.ts';
import { badUserInput } from '../errors.ts';
import { type WorkspaceModel, keys, loadWorkspaces } from '../loaders.ts';
import { representationKey } from './federation.ts';
import { validatesConnection } from './arguments.ts';
import { isUuid, normalizeUuid, parseNodeKey } from './ids.ts';
import { isLazyStub, lazyIds, resolveLazyParent } from './lazy-parent.ts';
import { resolveConnection } from './pagination.ts';

/** Bird's Accounts API pages workspaces 1..100 at a time. */
const WORKSPACE_LIST_MAX_LIMIT = 100;

/**
 * Bird reads a workspace under its organization, and how to learn the organization from an access key is not
 * documented: it comes from an argument or from BIRD_ORGANIZATION_ID.
 */
export function organizationFor(ctx: Context, organizationId?: string | null): string {
  const id = organizationId ?? ctx.organizationId;
  if (!id) {
    throw badUserInput(
      'No Bird organization: pass `organizationId` or configure BIRD_ORGANIZATION_ID on the server.',
      { argument: 'organizationId' },
    );
  }
  return normalizeUuid(id);
}

const WorkspaceStatusTransition = builder
  .objectRef<NonNullable<WireWorkspace['statusTransitions']>[number]>('WorkspaceStatusTransition')
  .implement({
    description: "One change of a workspace's status.",
    fields: (t) => ({
      fromStatus: t.exposeString('fromStatus', { nullable: false, description: 'The status before the change.' }),
      toStatus: t.exposeString('toStatus', { nullable: false, description: 'The status after the change.' }),
      reason: t.exposeString('reason', { description: 'Why the status changed, as a Bird reason code.' }),
      comment: t.exposeString('comment', { description: 'A free-text comment on the change.' }),
      transitionedAt: t.expose('transitionedAt', {
        type: 'DateTime',
        nullable: false,
        description: 'When the status changed.',
      }),
      transitionedByType: t.string({
        description: 'Who changed it: the kind of actor (for example `user`).',
        resolve: (transition) => transition.transitionedBy?.type ?? null,
      }),
      transitionedById: t.id({
        description: 'Who changed it: the actor id.',
        resolve: (transition) => transition.transitionedBy?.id ?? null,
      }),
    }),
  });

const DataPolicyRegion = builder
  .objectRef<{ region: string; priority: number }>('WorkspaceDataRegion')
  .implement({
    description: 'A region where Bird stores the workspace data, in order of priority.',
    fields: (t) => ({
      region: t.exposeString('region', { nullable: false, description: 'The region, e.g. `eu-west-1`.' }),
      priority: t.exposeInt('priority', { nullable: false, description: 'Lower is preferred.' }),
    }),
  });

const DataPolicy = builder.objectRef<NonNullable<WireWorkspace['dataPolicy']>>('WorkspaceDataPolicy').implement({
  description: 'Where and how Bird stores the workspace data.',
  fields: (t) => ({
    group: t.exposeString('group', { description: 'The data residency group, e.g. `eu-west-1`.' }),
    regions: t.expose('regions', {
      type: [DataPolicyRegion],
      description: 'The storage regions.',
    }),
    piiStrategy: t.exposeString('piiStrategy', { description: 'How personal data is handled (`default`, …).' }),
  }),
});

export const Workspace = builder.loadableNode('Workspace', {
  description: 'A Bird workspace: the tenant that owns channels, messages and contacts, inside an organization.',
  id: {
    resolve: (workspace) => keys.workspace(workspace.organizationId, workspace.id),
    parse: (key) => parseNodeKey(key, 2),
  },
  load: (workspaceKeys: string[], ctx) => loadWorkspaces(ctx, workspaceKeys),
  // A lazy stub (src/schema/lazy-parent.ts: ids only) is kept apart, under a key nothing loads.
  toKey: (workspace: WorkspaceModel) => (isLazyStub(workspace) ? `lazy:${workspace.id}` : keys.workspace(workspace.organizationId, workspace.id)),
  cacheResolved: true,
  fields: (t) => ({
    workspaceId: t.exposeID('id', { nullable: false, description: 'The Bird workspace UUID.' }),
    organizationId: t.exposeID('organizationId', {
      nullable: false,
      description: 'The Bird organization UUID the workspace belongs to.',
    }),
    name: t.exposeString('name', { nullable: false, description: 'The workspace name.' }),
    description: t.exposeString('description', { description: 'A free-text description.' }),
    status: t.exposeString('status', { nullable: false, description: 'The workspace status (`active`, …).' }),
    statusTransitions: t.expose('statusTransitions', {
      type: [WorkspaceStatusTransition],
      description: 'The history of status changes.',
    }),
    dataPolicy: t.expose('dataPolicy', {
      type: DataPolicy,
      description: 'Where the workspace data is stored.',
    }),
    domain: t.string({
      description: "The workspace's configured domain.",
      resolve: (workspace) => workspace.configuration?.domain ?? null,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the workspace was created.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: false,
      description: 'When the workspace was last changed.',
    }),
  }),
});

builder.queryFields((t) => ({
  workspace: t.field({
    type: Workspace,
    description: 'A workspace by its Bird UUID; null when it does not exist.',
    args: {
      workspaceId: t.arg({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
      organizationId: t.arg({
        type: 'UUID',
        description: 'The Bird organization UUID; defaults to the configured BIRD_ORGANIZATION_ID.',
      }),
    },
    resolve: (_root, args, ctx, info) => {
      const ids = { organizationId: organizationFor(ctx, args.organizationId), id: normalizeUuid(args.workspaceId) };
      const key = keys.workspace(ids.organizationId, ids.id);
      return resolveLazyParent({ ctx, info, ids: ids as WorkspaceModel, key, load: () => Workspace.getDataloader(ctx).load(key) });
    },
  }),
  workspaces: t.connection(
    {
      type: Workspace,
      description: "The organization's workspaces, newest first.",
      args: {
        organizationId: t.arg({
          type: 'UUID',
          description: 'The Bird organization UUID; defaults to the configured BIRD_ORGANIZATION_ID.',
        }),
      },
      extensions: validatesConnection(),
      resolve: (_root, args, ctx) => {
        const organizationId = organizationFor(ctx, args.organizationId);
        if (!isUuid(organizationId)) throw badUserInput('Invalid organization id.', { argument: 'organizationId' });
        return resolveConnection(args, {
          scope: `Query.workspaces|${organizationId}`,
          maxLimit: WORKSPACE_LIST_MAX_LIMIT,
          keyOf: (workspace: WireWorkspace) => [workspace.createdAt, workspace.id],
          fetch: ({ limit, pageToken, reverse }) => ctx.bird.listWorkspaces({ organizationId, limit, pageToken, reverse }),
        });
      },
    },
    { name: 'WorkspaceConnection', description: 'A page of workspaces.' },
    { name: 'WorkspaceEdge', description: 'A workspace and its cursor.' },
  ),
}));

// What a workspace's ids answer without loading it (src/schema/lazy-parent.ts). A lazy workspace is not checked
// against its organization: its lists are read by workspace id alone.
lazyIds('Workspace', ['workspaceId', 'organizationId']);

// Federation entity keyed by the workspace UUID alone, as other systems store it. Bird reads a workspace under its
// organization, which a representation does not carry: it comes from BIRD_ORGANIZATION_ID. Through the loader, so
// repeated representations cost one call.
builder.asEntity(Workspace, {
  key: builder.selection<{ workspaceId: string }>('workspaceId'),
  resolveReference: async (representation, ctx) => {
    const [workspaceId] = representationKey('Workspace', representation, ['workspaceId']);
    if (!ctx.organizationId) {
      throw badUserInput('This subgraph resolves Workspace entities only when BIRD_ORGANIZATION_ID is configured.', {
        typename: 'Workspace',
      });
    }
    return Workspace.getDataloader(ctx).load(keys.workspace(organizationFor(ctx), workspaceId));
  },
});
