import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { env } from '../../shared/env';
import { actorOf } from '../../shared/http/caller';
import { authenticate } from '../../shared/http/token';
import { problem, type HttpResult } from '../../shared/http/responses';
import { errorResponse } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { count } from '../../shared/observability/metrics';
import { observed } from '../../shared/observability/middleware';
import { adtSendingFacilities, facilityTimeZone } from '../../shared/site-config';
import { ports } from '../../shared/care/ports';
import { adtStore } from '../../shared/store/adt-store';
import { actingAs } from '../../shared/store/change-stamp';
import { dynamoClient } from '../../shared/store/clients';
import { receiveAdt } from '../../shared/care/adt/receive-adt';

/** The content types an interface engine sends ER7 with; the ACK goes back in the same one. */
export const HL7_CONTENT_TYPES = ['application/hl7-v2', 'x-application/hl7-v2+er7', 'text/plain'];
// A stored message must fit a DynamoDB item (400 KB) with its metadata; ADT messages are small.
const MAX_MESSAGE_BYTES = 300 * 1024;

/**
 * POST /v1/adt: one HL7 v2 message in, one ACK out. HTTP 200 carries every ACK (AA, AE, AR);
 * 503 with an AR ACK when Carepath itself failed, so engines and load balancers retry.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult, Error, Context>()
  .use(observed())
  .handler(async (event) => {
    try {
      const caller = await authenticate(event);
      const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!HL7_CONTENT_TYPES.includes(contentType)) {
        return problem(415, 'UnsupportedMediaType', `Send the message as ${HL7_CONTENT_TYPES.join(', ')}`, [
          { field: 'header.content-type', reason: `must be one of ${HL7_CONTENT_TYPES.join(', ')}` },
        ]);
      }
      const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
      if (Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) {
        return problem(413, 'PayloadTooLarge', 'One ADT message is at most 300 KiB', [{ field: 'body', reason: 'larger than 300 KiB' }]);
      }
      const { encounters, patients, now } = ports();
      const reply = await actingAs(actorOf(caller, event), () =>
        receiveAdt(raw, caller, {
          adt: adtStore(dynamoClient(), env().TABLE_NAME),
          patients,
          encounters,
          tableName: env().TABLE_NAME,
          now,
          newId,
          timeZone: facilityTimeZone(caller.facilityId),
          sendingFacilities: adtSendingFacilities(caller.facilityId),
        }),
      );
      count('AdtMessages', { messageType: reply.triggerEvent ?? 'unreadable', ackCode: reply.code });
      return {
        statusCode: reply.retryable ? 503 : 200,
        headers: { 'content-type': contentType },
        body: reply.ack,
      };
    } catch (error) {
      return errorResponse(error);
    }
  });
