import { GetItemCommand, PutItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Appointment, Slot } from '../domain/scheduling';
import { fromItem, isConditionFailure, queryAll, toItem, transactWithRetry } from './dynamo';
import { GSI1, keys, stripStorage } from './keys';

/**
 * Slots and appointments. A slot is booked, freed and rebooked only inside a transaction that
 * also writes the appointment, each conditional on what was read, so a slot never holds two
 * appointments and an appointment never points at a slot it does not hold.
 */
export function scheduleStore(client: DynamoDBClient, tableName: string) {
  const slotItem = (slot: Slot) => ({
    ...keys.slot(slot.slotId),
    gsi1pk: keys.scheduleOf(slot.facilityId, slot.practitionerId),
    gsi1sk: `${slot.start}#${slot.slotId}`,
    entityType: 'Slot',
    ...slot,
  });
  const appointmentItem = (a: Appointment) => ({
    ...keys.appointment(a.appointmentId),
    gsi1pk: keys.appointmentsOfPatient(a.patientId),
    gsi1sk: `${a.start}#${a.appointmentId}`,
    entityType: 'Appointment',
    ...a,
  });

  /** Publishes a slot unless it exists (the same practitioner and start: a resent publication). */
  async function publish(slot: Slot): Promise<boolean> {
    try {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: toItem(slotItem(slot)), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async function getSlot(slotId: string): Promise<Slot | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.slot(slotId)), ConsistentRead: true }));
    return out.Item ? stripStorage<Slot>(fromItem(out.Item)) : undefined;
  }

  async function listSlots(facilityId: string, practitionerId: string, from: string, to: string): Promise<Slot[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: toItem({ ':pk': keys.scheduleOf(facilityId, practitionerId), ':from': from, ':to': `${to}~` }),
    });
    return items.map((item) => stripStorage<Slot>(fromItem(item)));
  }

  async function getAppointment(appointmentId: string): Promise<Appointment | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.appointment(appointmentId)), ConsistentRead: true }),
    );
    return out.Item ? stripStorage<Appointment>(fromItem(out.Item)) : undefined;
  }

  async function mustGetAppointment(appointmentId: string): Promise<Appointment> {
    const found = await getAppointment(appointmentId);
    if (!found) throw new NotFoundError(`Appointment ${appointmentId} not found`);
    return found;
  }

  async function appointmentsOfPatient(patientId: string): Promise<Appointment[]> {
    const { items } = await queryAll(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': keys.appointmentsOfPatient(patientId) }),
    });
    return items.map((item) => stripStorage<Appointment>(fromItem(item)));
  }

  const takeSlot = (slotId: string, appointmentId: string): TransactWriteItem => ({
    Update: {
      TableName: tableName,
      Key: toItem(keys.slot(slotId)),
      UpdateExpression: 'SET #status = :booked, appointmentId = :a',
      ConditionExpression: '#status = :free',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: toItem({ ':booked': 'booked', ':free': 'free', ':a': appointmentId }),
    },
  });
  const freeSlot = (slotId: string, appointmentId: string): TransactWriteItem => ({
    Update: {
      TableName: tableName,
      Key: toItem(keys.slot(slotId)),
      UpdateExpression: 'SET #status = :free REMOVE appointmentId',
      ConditionExpression: 'appointmentId = :a',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: toItem({ ':free': 'free', ':a': appointmentId }),
    },
  });
  const writeAppointment = (next: Appointment, readVersion?: number): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: toItem(appointmentItem(next)),
      ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(readVersion === undefined ? {} : { ExpressionAttributeValues: toItem({ ':v': readVersion }) }),
    },
  });

  const transact = (items: TransactWriteItem[], refusal: (failed: number[]) => Error) => transactWithRetry(client, items, refusal);

  /** Books the slot for the appointment: exactly one of any number of concurrent bookings wins. */
  async function book(appointment: Appointment): Promise<void> {
    await transact(
      [takeSlot(appointment.slotId, appointment.appointmentId), writeAppointment(appointment)],
      () => new ConflictError(`Slot ${appointment.slotId} is already booked`),
    );
  }

  /** Moves a booked appointment to another free slot (the old one is freed in the same write). */
  async function reschedule(current: Appointment, next: Appointment): Promise<void> {
    await transact(
      [freeSlot(current.slotId, current.appointmentId), takeSlot(next.slotId, next.appointmentId), writeAppointment(next, current.version)],
      (failed) =>
        new ConflictError(
          failed.includes(1) ? `Slot ${next.slotId} is already booked` : `Appointment ${current.appointmentId} was changed meanwhile`,
        ),
    );
  }

  async function cancel(current: Appointment, next: Appointment): Promise<void> {
    await transact(
      [freeSlot(current.slotId, current.appointmentId), writeAppointment(next, current.version)],
      () => new ConflictError(`Appointment ${current.appointmentId} was changed meanwhile`),
    );
  }

  return { publish, getSlot, listSlots, getAppointment, mustGetAppointment, appointmentsOfPatient, book, reschedule, cancel };
}

export type ScheduleStore = ReturnType<typeof scheduleStore>;
