/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MessageFields on Message {\n    messageId\n    direction\n    status\n    text\n    createdAt\n    lastStatusAt\n    sender {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n    receivers {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment InteractionFields on Interaction {\n    interactionId\n    type\n    details\n    createdAt\n    link {\n      url\n    }\n    reaction {\n      emoji\n    }\n  }\n": typeof types.InteractionFieldsFragmentDoc,
    "\n  query InboxChannels {\n    workspaces(first: 10) {\n      edges {\n        node {\n          workspaceId\n          name\n          channels(first: 25) {\n            edges {\n              node {\n                channelId\n                name\n                platform\n                status\n                identifier\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.InboxChannelsDocument,
    "\n  query ChannelMessagesPage($workspaceId: UUID!, $channelId: UUID!, $first: Int, $after: String, $last: Int, $before: String) {\n    channel(workspaceId: $workspaceId, channelId: $channelId) {\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n        }\n      }\n    }\n  }\n": typeof types.ChannelMessagesPageDocument,
    "\n  query MessageDetails($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    message(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...MessageFields\n      subject\n      reference\n      tags\n      failure {\n        code\n        description\n      }\n      channel {\n        name\n      }\n      interactions(first: 50) {\n        edges {\n          node {\n            ...InteractionFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.MessageDetailsDocument,
    "\n  mutation SendText($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      __typename\n      ... on SendMessagePayload {\n        sentMessage {\n          ...MessageFields\n        }\n      }\n      ... on ValidationError {\n        fields {\n          path\n          message\n        }\n      }\n      ... on OutcomeUnknownError {\n        reference\n      }\n      ... on MutationError {\n        message\n      }\n    }\n  }\n": typeof types.SendTextDocument,
    "\n  subscription ChannelMessageUpdated($workspaceId: UUID!, $channelId: UUID!) {\n    messageUpdated(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n": typeof types.ChannelMessageUpdatedDocument,
    "\n  subscription ChannelMessageReceived($workspaceId: UUID!, $channelId: UUID!) {\n    messageReceived(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n": typeof types.ChannelMessageReceivedDocument,
    "\n  subscription MessageInteractionAdded($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    interactionAdded(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...InteractionFields\n    }\n  }\n": typeof types.MessageInteractionAddedDocument,
};
const documents: Documents = {
    "\n  fragment MessageFields on Message {\n    messageId\n    direction\n    status\n    text\n    createdAt\n    lastStatusAt\n    sender {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n    receivers {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment InteractionFields on Interaction {\n    interactionId\n    type\n    details\n    createdAt\n    link {\n      url\n    }\n    reaction {\n      emoji\n    }\n  }\n": types.InteractionFieldsFragmentDoc,
    "\n  query InboxChannels {\n    workspaces(first: 10) {\n      edges {\n        node {\n          workspaceId\n          name\n          channels(first: 25) {\n            edges {\n              node {\n                channelId\n                name\n                platform\n                status\n                identifier\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.InboxChannelsDocument,
    "\n  query ChannelMessagesPage($workspaceId: UUID!, $channelId: UUID!, $first: Int, $after: String, $last: Int, $before: String) {\n    channel(workspaceId: $workspaceId, channelId: $channelId) {\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n        }\n      }\n    }\n  }\n": types.ChannelMessagesPageDocument,
    "\n  query MessageDetails($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    message(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...MessageFields\n      subject\n      reference\n      tags\n      failure {\n        code\n        description\n      }\n      channel {\n        name\n      }\n      interactions(first: 50) {\n        edges {\n          node {\n            ...InteractionFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.MessageDetailsDocument,
    "\n  mutation SendText($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      __typename\n      ... on SendMessagePayload {\n        sentMessage {\n          ...MessageFields\n        }\n      }\n      ... on ValidationError {\n        fields {\n          path\n          message\n        }\n      }\n      ... on OutcomeUnknownError {\n        reference\n      }\n      ... on MutationError {\n        message\n      }\n    }\n  }\n": types.SendTextDocument,
    "\n  subscription ChannelMessageUpdated($workspaceId: UUID!, $channelId: UUID!) {\n    messageUpdated(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n": types.ChannelMessageUpdatedDocument,
    "\n  subscription ChannelMessageReceived($workspaceId: UUID!, $channelId: UUID!) {\n    messageReceived(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n": types.ChannelMessageReceivedDocument,
    "\n  subscription MessageInteractionAdded($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    interactionAdded(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...InteractionFields\n    }\n  }\n": types.MessageInteractionAddedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    messageId\n    direction\n    status\n    text\n    createdAt\n    lastStatusAt\n    sender {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n    receivers {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    messageId\n    direction\n    status\n    text\n    createdAt\n    lastStatusAt\n    sender {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n    receivers {\n      __typename\n      ... on ContactParticipant {\n        identifierValue\n      }\n      ... on ConnectorParticipant {\n        identifierValue\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InteractionFields on Interaction {\n    interactionId\n    type\n    details\n    createdAt\n    link {\n      url\n    }\n    reaction {\n      emoji\n    }\n  }\n"): (typeof documents)["\n  fragment InteractionFields on Interaction {\n    interactionId\n    type\n    details\n    createdAt\n    link {\n      url\n    }\n    reaction {\n      emoji\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxChannels {\n    workspaces(first: 10) {\n      edges {\n        node {\n          workspaceId\n          name\n          channels(first: 25) {\n            edges {\n              node {\n                channelId\n                name\n                platform\n                status\n                identifier\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxChannels {\n    workspaces(first: 10) {\n      edges {\n        node {\n          workspaceId\n          name\n          channels(first: 25) {\n            edges {\n              node {\n                channelId\n                name\n                platform\n                status\n                identifier\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelMessagesPage($workspaceId: UUID!, $channelId: UUID!, $first: Int, $after: String, $last: Int, $before: String) {\n    channel(workspaceId: $workspaceId, channelId: $channelId) {\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChannelMessagesPage($workspaceId: UUID!, $channelId: UUID!, $first: Int, $after: String, $last: Int, $before: String) {\n    channel(workspaceId: $workspaceId, channelId: $channelId) {\n      messages(first: $first, after: $after, last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessageDetails($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    message(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...MessageFields\n      subject\n      reference\n      tags\n      failure {\n        code\n        description\n      }\n      channel {\n        name\n      }\n      interactions(first: 50) {\n        edges {\n          node {\n            ...InteractionFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MessageDetails($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    message(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...MessageFields\n      subject\n      reference\n      tags\n      failure {\n        code\n        description\n      }\n      channel {\n        name\n      }\n      interactions(first: 50) {\n        edges {\n          node {\n            ...InteractionFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendText($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      __typename\n      ... on SendMessagePayload {\n        sentMessage {\n          ...MessageFields\n        }\n      }\n      ... on ValidationError {\n        fields {\n          path\n          message\n        }\n      }\n      ... on OutcomeUnknownError {\n        reference\n      }\n      ... on MutationError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SendText($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      __typename\n      ... on SendMessagePayload {\n        sentMessage {\n          ...MessageFields\n        }\n      }\n      ... on ValidationError {\n        fields {\n          path\n          message\n        }\n      }\n      ... on OutcomeUnknownError {\n        reference\n      }\n      ... on MutationError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChannelMessageUpdated($workspaceId: UUID!, $channelId: UUID!) {\n    messageUpdated(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription ChannelMessageUpdated($workspaceId: UUID!, $channelId: UUID!) {\n    messageUpdated(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChannelMessageReceived($workspaceId: UUID!, $channelId: UUID!) {\n    messageReceived(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  subscription ChannelMessageReceived($workspaceId: UUID!, $channelId: UUID!) {\n    messageReceived(workspaceId: $workspaceId, channelId: $channelId) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageInteractionAdded($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    interactionAdded(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...InteractionFields\n    }\n  }\n"): (typeof documents)["\n  subscription MessageInteractionAdded($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {\n    interactionAdded(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {\n      ...InteractionFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;