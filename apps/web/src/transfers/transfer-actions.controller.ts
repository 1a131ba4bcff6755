import { Controller } from '@nestjs/common';

/** The transfer's action pages (record the conversation, check back, advice, accept, return, cancel). */
@Controller('transfers')
export class TransferActionsController {}
