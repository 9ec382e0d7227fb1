import { Field, Int, ObjectType } from 'type-graphql';
import type { ClusterDescription, NodeDescription } from '../../server/broker/index';
import { DateTimeScalar } from '../scalars/index';

@ObjectType('Node')
export class NodeType {
  constructor(private readonly node: NodeDescription) {}

  @Field(() => Int) get nodeId(): number { return this.node.nodeId; }
  @Field(() => String) get host(): string { return this.node.host; }
  @Field(() => Int) get port(): number { return this.node.port; }
  @Field(() => Boolean) get isController(): boolean { return this.node.isController; }
  @Field(() => DateTimeScalar) get startedAt(): Date { return new Date(this.node.startedAtMs); }
}

@ObjectType('Cluster')
export class ClusterType {
  constructor(private readonly cluster: ClusterDescription) {}

  @Field(() => String) get clusterId(): string { return this.cluster.clusterId; }
  @Field(() => Int) get controllerId(): number { return this.cluster.controllerId; }
  @Field(() => NodeType) get controller(): NodeType {
    return new NodeType(this.cluster.nodes.find((n) => n.nodeId === this.cluster.controllerId)!);
  }
  @Field(() => String) get version(): string { return this.cluster.version; }
  @Field(() => [NodeType]) get nodes(): NodeType[] { return this.cluster.nodes.map((n) => new NodeType(n)); }
}
