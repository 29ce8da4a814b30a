// The page's GraphQL operations; `npm run codegen` (client preset) reads them and writes their types into ./gql.
import { graphql } from './gql';

/** What a row of the list shows; queries, the send result and live events all select it, so they merge. */
export const MessageFields = graphql(`
  fragment MessageFields on Message {
    messageId
    direction
    status
    text
    createdAt
    lastStatusAt
    sender {
      __typename
      ... on ContactParticipant {
        identifierValue
      }
      ... on ConnectorParticipant {
        identifierValue
      }
    }
    receivers {
      __typename
      ... on ContactParticipant {
        identifierValue
      }
      ... on ConnectorParticipant {
        identifierValue
      }
    }
  }
`);

export const InteractionFields = graphql(`
  fragment InteractionFields on Interaction {
    interactionId
    type
    details
    createdAt
    link {
      url
    }
    reaction {
      emoji
    }
  }
`);

/** The channel picker: the organization's workspaces and their channels (1 + 1 per workspace Bird calls). */
export const ChannelsQuery = graphql(`
  query InboxChannels {
    workspaces(first: 10) {
      edges {
        node {
          workspaceId
          name
          channels(first: 25) {
            edges {
              node {
                channelId
                name
                platform
                status
                identifier
              }
            }
          }
        }
      }
    }
  }
`);

/**
 * One page of a channel's messages, newest first. `first`/`after` reads older messages after a cursor,
 * `last`/`before` newer ones before it; any edge's cursor works both ways.
 */
export const MessagesPageQuery = graphql(`
  query ChannelMessagesPage($workspaceId: UUID!, $channelId: UUID!, $first: Int, $after: String, $last: Int, $before: String) {
    channel(workspaceId: $workspaceId, channelId: $channelId) {
      messages(first: $first, after: $after, last: $last, before: $before) {
        edges {
          cursor
          node {
            ...MessageFields
          }
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
        }
      }
    }
  }
`);

export const MessageDetailsQuery = graphql(`
  query MessageDetails($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {
    message(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {
      ...MessageFields
      subject
      reference
      tags
      failure {
        code
        description
      }
      channel {
        name
      }
      interactions(first: 50) {
        edges {
          node {
            ...InteractionFields
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

/** A text message; the result is a union: the sent message, or a typed error saying why nothing was sent. */
export const SendTextMutation = graphql(`
  mutation SendText($input: SendMessageInput!) {
    sendMessage(input: $input) {
      __typename
      ... on SendMessagePayload {
        sentMessage {
          ...MessageFields
        }
      }
      ... on ValidationError {
        fields {
          path
          message
        }
      }
      ... on OutcomeUnknownError {
        reference
      }
      ... on MutationError {
        message
      }
    }
  }
`);

/** Every status change of the channel's sent messages (accepted → processing → sent → delivered, or a failure). */
export const MessageUpdatedSubscription = graphql(`
  subscription ChannelMessageUpdated($workspaceId: UUID!, $channelId: UUID!) {
    messageUpdated(workspaceId: $workspaceId, channelId: $channelId) {
      ...MessageFields
    }
  }
`);

/** Incoming messages of the channel, as they arrive. */
export const MessageReceivedSubscription = graphql(`
  subscription ChannelMessageReceived($workspaceId: UUID!, $channelId: UUID!) {
    messageReceived(workspaceId: $workspaceId, channelId: $channelId) {
      ...MessageFields
    }
  }
`);

/** What recipients do with the open message (opened, clicked, read, …), as it happens. */
export const InteractionAddedSubscription = graphql(`
  subscription MessageInteractionAdded($workspaceId: UUID!, $channelId: UUID!, $messageId: UUID!) {
    interactionAdded(workspaceId: $workspaceId, channelId: $channelId, messageId: $messageId) {
      ...InteractionFields
    }
  }
`);
