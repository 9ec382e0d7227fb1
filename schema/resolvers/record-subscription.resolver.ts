import { Arg, Args, Root, Subscription, Resolver, type SubscribeResolverData } from 'type-graphql';
import type { PartitionStatus, RecordBatchEvent } from '../../server/broker/index';
import { RecordsSubscriptionArgs } from '../args/records-subscription.args';
import type { GraphQLContext } from '../context.type';
import { groupOptions } from '../args/group-options';
import { RecordBatchType } from '../types/record-batch.type';
import { PartitionType } from '../types/partition.type';

type RecordsData = SubscribeResolverData<unknown, RecordsSubscriptionArgs, GraphQLContext>;
type PartitionStateData = SubscribeResolverData<unknown, { topic: string }, GraphQLContext>;

@Resolver()
export class RecordSubscriptionResolver {
  @Subscription(() => RecordBatchType, {
    description:
      'Batches of records as they are committed, from the chosen start. With group it is a consumer-group member: only its partitions, announced by kind ASSIGNMENT events',
    subscribe: ({ args, context }: RecordsData) =>
      context.broker.streamRecords(
        {
          topic: args.topic,
          partitions: args.partitions ?? null,
          from: args.from,
          offset: args.offset ?? null,
          timestampMs: args.timestamp ? args.timestamp.getTime() : null,
          maxBatch: args.maxBatch,
          isolation: args.isolation,
        },
        args.group ? groupOptions(args.group, args, context.clientHost, context.confirmReceipt) : null,
      ),
  })
  records(@Root() event: RecordBatchEvent, @Args(() => RecordsSubscriptionArgs) _args: RecordsSubscriptionArgs): RecordBatchType {
    return new RecordBatchType(event);
  }

  @Subscription(() => [PartitionType], {
    description: 'Every partition of the topic, pushed when a watermark, the leader or the ISR moves',
    subscribe: ({ args, context }: PartitionStateData) => context.broker.watchPartitions(args.topic),
  })
  partitionState(
    @Root() state: PartitionStatus[],
    @Arg('topic', () => String, { description: 'The topic name' }) _topic: string,
  ): PartitionType[] {
    return state.map((p) => new PartitionType(p));
  }
}
