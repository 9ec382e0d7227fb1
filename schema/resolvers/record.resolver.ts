import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.type';
import { toProduceRecord } from '../inputs/produce-records';
import { ProduceInput } from '../inputs/produce.input';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { Acks, Isolation } from '../types/enums';
import { ProduceResultType } from '../types/produce-result.type';
import { reportThrottle } from '../response-extensions';
import { RecordPageType } from '../types/record-page.type';

@Resolver()
export class RecordResolver {
  @Query(() => RecordPageType, { description: 'A page of one partition from an offset or a timestamp (default: log start)' })
  async records(
    @Ctx() ctx: GraphQLContext,
    @Arg('topic', () => String, { description: 'The topic name' }) topic: string,
    @Arg('partition', () => Int, { description: 'The partition number' }) partition: number,
    @Arg('offset', () => SafeIntScalar, { nullable: true, description: 'Start at this offset (OFFSET_OUT_OF_RANGE outside the log)' })
    offset?: number | null,
    @Arg('timestamp', () => DateTimeScalar, {
      nullable: true,
      description: 'Start at the first record whose timestamp is at or after this',
    })
    timestamp?: Date | null,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'Most records in the page; default 100, at most 10,000' }) limit?: number,
    @Arg('isolation', () => Isolation, {
      defaultValue: Isolation.READ_UNCOMMITTED,
      description: 'How far to read (default READ_UNCOMMITTED)',
    })
    isolation?: Isolation,
  ): Promise<RecordPageType> {
    const page = await ctx.broker.fetchRecords({
      topic,
      partition,
      offset: offset ?? null,
      timestampMs: timestamp ? timestamp.getTime() : null,
      limit: limit!,
      isolation: isolation!,
    });
    return new RecordPageType(page);
  }

  /**
   * Runs with graphql-js' coerced arguments as plain objects, not type-graphql's class instances
   * (schema/plain-args.ts: that conversion costs ~4 ms per 1,000 records); the broker validates
   * every record anyway.
   */
  @Mutation(() => ProduceResultType, {
    description: "Appends records to a topic (Kafka's produce): atomic per partition, answered as acks says",
  })
  async produce(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ProduceInput, { description: 'The topic, the records and the acks' }) input: ProduceInput,
  ): Promise<ProduceResultType> {
    const outcome = await ctx.broker.produce({
      topic: input.topic,
      acks: input.acks ?? Acks.ALL,
      records: input.records.map(toProduceRecord),
      producer: input.producer ?? null,
      sequence: input.sequence ?? null,
    });
    if (outcome.throttleTimeMs) reportThrottle(ctx, outcome.throttleTimeMs);
    return new ProduceResultType(outcome);
  }
}
