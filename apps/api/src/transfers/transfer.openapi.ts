import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiGoneResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
} from '@nestjs/swagger';
import { BRUISING_PROTOCOL_ITEMS, OFFERED_COMMANDS, RISK_FLAG_CODES } from '@fh/domain';

/** What a lead said was done about one missing item of the bruising protocol (issue 14 item 4). */
export class ProtocolActionDoc {
  @ApiProperty({ enum: BRUISING_PROTOCOL_ITEMS }) item!: string;
  @ApiProperty({ example: 'Child protection medical booked for today at 2pm' }) action!: string;
}

/** OpenAPI description of the transfer resource's `availableActions` (issue 10). Documentation only. */
export class ActionRefusalDoc {
  @ApiProperty({
    description:
      'stable machine-readable code, e.g. NOT_ALLOWED_FROM_STATUS, CRITICAL_FLAGS_NOT_ACKNOWLEDGED, NOT_RECEIVING_SIDE',
  })
  code!: string;

  @ApiProperty({
    description: 'the domain’s sentence, which a practitioner can act on',
    example:
      'a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: Bruising or injury on a baby who is not yet mobile',
  })
  message!: string;
}

export class AvailableActionDoc {
  @ApiProperty({ enum: OFFERED_COMMANDS, description: 'the domain command (never the system’s close)' })
  action!: string;

  @ApiProperty({
    description: 'whether this caller may give the command now (the same decide() the transition runs, as a dry run)',
  })
  allowed!: boolean;

  @ApiPropertyOptional({
    type: [ActionRefusalDoc],
    description: 'present when allowed is false: why not yet, every reason of the first failing check',
  })
  reasons?: ActionRefusalDoc[];

  @ApiPropertyOptional({
    enum: RISK_FLAG_CODES,
    description:
      'acknowledgeFlag only: the critical flag this entry is for (one entry per flag awaiting a lead’s advice)',
  })
  flagCode?: string;
}

/** One safeguarding lead's acknowledgement of a flag with their advice (issue 12 item 2). */
export class SafeguardingAdviceDoc {
  @ApiProperty({ example: 'Child protection medical today; strategy discussion with MASH' }) advice!: string;
  @ApiProperty({
    type: [ProtocolActionDoc],
    description:
      'NON_MOBILE_INFANT_BRUISING: what was done about each item the bruising protocol was missing when the lead acknowledged ' +
      'it (one per item of the flag’s missing); [] otherwise',
  })
  actions!: ProtocolActionDoc[];
  @ApiProperty({ format: 'uuid' }) acknowledgedById!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Lena Novak' }) acknowledgedByName!: string | null;
  @ApiProperty({ format: 'date-time' }) acknowledgedAt!: string;
}

export class RiskFlagDoc {
  @ApiProperty({ enum: RISK_FLAG_CODES }) code!: string;
  @ApiProperty({ enum: ['critical', 'high', 'medium', 'low'] }) severity!: string;
  @ApiProperty({ type: [String] }) memberIds!: string[];
  @ApiProperty() summary!: string;
  @ApiPropertyOptional({
    enum: BRUISING_PROTOCOL_ITEMS,
    isArray: true,
    description:
      'NON_MOBILE_INFANT_BRUISING only (issue 14 item 4): what the bruising protocol still lacks across the bruises or injuries ' +
      'the flag is about — health_assessment, referral (to children’s social care or MASH), multi_agency_discussion, ' +
      'parents_explanation; [] when complete. While any is missing, POST …/flags/NON_MOBILE_INFANT_BRUISING/acknowledge needs ' +
      '`actions: [{ item, action }]`, one per missing item (422 PROTOCOL_ITEMS_NOT_ADDRESSED names the rest)',
  })
  missing?: string[];

  @ApiProperty({
    type: Object,
    nullable: true,
    description:
      'API.md’s field: the NEWEST lead’s acknowledgement { advice, acknowledgedById, acknowledgedAt } in this round, or null',
  })
  safeguardingAcknowledgement!: { advice: string; acknowledgedById: string; acknowledgedAt: string } | null;

  @ApiProperty({
    type: [SafeguardingAdviceDoc],
    description:
      'every lead’s acknowledgement of this flag in this round, oldest first: a second lead’s advice is added beside the ' +
      'first, never in its place (each one also makes a new packet version)',
  })
  safeguardingAcknowledgements!: SafeguardingAdviceDoc[];
}

export class TransferResourceDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'HT-2026-000123' }) reference!: string;
  @ApiProperty({ example: 'awaiting_contact' }) status!: string;
  @ApiProperty({
    enum: ['transfer', 'host_notification'],
    description:
      'host_notification: a looked-after child, a child with a statutoryOrder, or a short temporary stay the sending side chose ' +
      'to record so. The sending side stays accountable for good; the host team records the conversation and then ' +
      'POST /v1/transfers/:id/acknowledge-notification {contactPractitionerId}; accept is refused (HOST_NOTIFICATION_NOT_ACCEPTED).',
  })
  kind!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [RiskFlagDoc], description: 'the risk flags, each with the safeguarding advice given on it' })
  riskFlags!: RiskFlagDoc[];

  @ApiPropertyOptional({
    nullable: true,
    description:
      'The new address: { line1, line2, town, postcode, confidential }. When confidential is true (issue 13 item 5) only the ' +
      'practitioners named on the transfer (the accountable practitioner, the two people in the direct conversation, the interim ' +
      'lead) and both areas’ safeguarding leads get the lines and postcode, and each such response is audited as ' +
      'transfer.address_read; everyone else gets { confidential: true, withheld: true, text: "held confidentially — ask <name>", ' +
      'ask: { id, name } } naming the accountable practitioner.',
    example: {
      confidential: true,
      withheld: true,
      text: 'held confidentially — ask Hana Begum',
      ask: { id: '0b9f…', name: 'Hana Begum' },
    },
  })
  newAddress!: Record<string, unknown> | null;

  @ApiProperty({
    type: [AvailableActionDoc],
    description:
      'What the caller can do with the transfer now. Only commands the caller’s side could ever give are listed: the sending side ' +
      'update, initiate, confirmContact, cancel (and confirmConference for child protection); the receiving side recordContact, ' +
      'accept, return (and recordConference for child protection); managers of either side also ' +
      'reassign; safeguarding leads acknowledgeFlag, once per critical flag still waiting for advice. Inputs the command’s form ' +
      'collects (a reason, who was spoken to, the lead) are checked when the command is sent.',
    example: [
      {
        action: 'recordContact',
        allowed: false,
        reasons: [
          {
            code: 'NOT_ALLOWED_FROM_STATUS',
            message:
              'cannot record direct contact on a transfer that is contact confirmed (allowed from: awaiting contact)',
          },
        ],
      },
      {
        action: 'accept',
        allowed: false,
        reasons: [
          {
            code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
            message:
              'a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: Bruising or injury on a baby who is not yet mobile',
          },
        ],
      },
      { action: 'return', allowed: true },
    ],
  })
  availableActions!: AvailableActionDoc[];
}

const DESCRIPTION =
  'the transfer resource (API.md), with availableActions for the caller; other fields as API.md describes';

/** The transfer resource as a response (200, or 201 for create). */
export const TransferResponse = (status: 200 | 201 = 200) =>
  applyDecorators(
    ApiExtraModels(
      TransferResourceDoc,
      AvailableActionDoc,
      ActionRefusalDoc,
      RiskFlagDoc,
      SafeguardingAdviceDoc,
      ProtocolActionDoc,
    ),
    status === 200
      ? ApiOkResponse({ type: TransferResourceDoc, description: DESCRIPTION })
      : ApiResponse({ status, type: TransferResourceDoc, description: DESCRIPTION }),
  );

/**
 * 410 ERASED (issue 12 item 12): the transfer's family data was erased at the end of its retention
 * period (RETENTION_DAYS after it was closed or cancelled); only its tombstone is left.
 */
export const ErasedResponse = () =>
  ApiGoneResponse({
    description:
      'code ERASED: the family data of this transfer was erased at the end of its retention period (RETENTION_DAYS after it ' +
      'was closed or cancelled; the message gives the date). Only its tombstone is kept — reference, areas, teams, status, ' +
      'dates — which GET /v1/transfers still lists. Given only to callers who could see the transfer; others get 404',
  });
