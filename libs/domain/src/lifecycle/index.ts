/** The transfer lifecycle (DESIGN §3): decide() and its parts. See decide.ts for the map. */
export {
  SYSTEM_ACTOR,
  type Actor,
  type ActorRole,
  type AgreedActionRef,
  type ConferenceState,
  type DirectContactRecordState,
  type DirectContactState,
  type PractitionerRef,
  type TransferState,
} from './state.js';
export type { Command, CommandType, NewTransfer, OpenChaseItemRef, ProtocolActionInput } from './commands.js';
export {
  RECOMPUTES_FLAGS,
  TRANSFER_EVENTS,
  type AppointmentChase,
  type AppointmentOutcome,
  type EventOf,
  type RecordedContact,
  type TransferEvent,
  type TransferEventRecord,
} from './events.js';
export { effectsOf, type Effect, type NotifyAudience, type NotifyMessage } from './effects.js';
export {
  MONITORING_VIA,
  VISIBILITY,
  canSee,
  isWithin,
  monitoringScopeFor,
  visibilityFor,
  type ActorVisibility,
  type TransferSide,
  type VisibilityCondition,
  type VisibilityFacts,
  type VisibilityField,
  type VisibilityGrant,
  type VisibilityVia,
} from './visibility.js';
export {
  RECEIVING_SIDE_CHASE_KINDS,
  accountableTeamId,
  chaseOwnerFor,
  chaseOwnerId,
  receivingChaseOwnerId,
} from './sides.js';
export {
  conferenceClockStartsAt,
  hostNotificationGrounds,
  isHostNotification,
  needsMoveReview,
  needsTransferInConference,
  transferKind,
} from './kind.js';
export {
  activeFlagCodes,
  activeRiskFlags,
  initiationGaps,
  lawfulBasisGaps,
  protocolActionGaps,
  protocolDateGaps,
  temporaryMoveGaps,
  unacknowledgedCriticalFlags,
} from './preconditions.js';
export { IN_PROGRESS_STATUSES } from './transitions.js';
export { closeIfDone, createTransfer, decide, type DecideOptions, type Decision } from './decide.js';
