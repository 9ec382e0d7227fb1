import { Field, Int, ObjectType } from 'type-graphql';
import type { ClusterDescription, NodeDescription } from '../../server/broker/index';
import { ControllerNotAvailableError } from '../../server/errors';
import { DateTimeScalar } from '../scalars/index';

@ObjectType('Node', { simpleResolvers: true, description: "One Logway node (Kafka's broker)" })
export class NodeType {
  constructor(private readonly node: NodeDescription) {}

  @Field(() => Int, { description: "The node's integer id (Kafka's broker.id)" }) get nodeId(): number {
    return this.node.nodeId;
  }
  @Field(() => String, { description: 'The host clients reach this node at' }) get host(): string {
    return this.node.host;
  }
  @Field(() => Int, { description: 'The HTTP port of its GraphQL endpoint' }) get port(): number {
    return this.node.port;
  }
  @Field(() => Boolean, { description: "True for the node that is the cluster's controller" }) get isController(): boolean {
    return this.node.isController;
  }
  @Field(() => Int, { nullable: true, description: 'The port of its replication listener (null on the embedded single node)' })
  get clusterPort(): number | null {
    return this.node.clusterPort;
  }
  @Field(() => String, { nullable: true, description: 'Its rack or zone (--rack), used for replica placement' }) get rack(): string | null {
    return this.node.rack;
  }
  @Field(() => Boolean, { description: 'True while the node is a live member (its etcd lease holds); the list shows live nodes only' })
  get alive(): boolean {
    return this.node.alive;
  }
  @Field(() => DateTimeScalar, { description: 'When this node process started' }) get startedAt(): Date {
    return new Date(this.node.startedAtMs);
  }
}

@ObjectType('Cluster', {
  simpleResolvers: true,
  description: 'The cluster this node belongs to (the embedded single node: one node, its own controller)',
})
export class ClusterType {
  constructor(private readonly cluster: ClusterDescription) {}

  @Field(() => String, {
    description: "The cluster's id: a UUID created once, when the node first opened its catalog, and the same after every restart",
  })
  get clusterId(): string {
    return this.cluster.clusterId;
  }
  @Field(() => Int, { description: 'The node id of the controller; -1 while none is elected' }) get controllerId(): number {
    return this.cluster.controllerId ?? -1;
  }
  @Field(() => NodeType, {
    description: "The controller node (Kafka's active controller); CONTROLLER_NOT_AVAILABLE (retriable) while none is elected",
  })
  get controller(): NodeType {
    const node = this.cluster.nodes.find((n) => n.nodeId === this.cluster.controllerId);
    if (!node) throw new ControllerNotAvailableError();
    return new NodeType(node);
  }
  @Field(() => String, { description: 'The Logway version the node runs' }) get version(): string {
    return this.cluster.version;
  }
  @Field(() => [NodeType], { description: 'Every node of the cluster' }) get nodes(): NodeType[] {
    return this.cluster.nodes.map((n) => new NodeType(n));
  }
}
