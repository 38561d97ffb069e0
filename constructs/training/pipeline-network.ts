import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';

/**
 * The jobs' default security group (`<scope>/SecurityGroup`): HTTPS egress only, and all traffic
 * between its own members when the training is distributed.
 */
export function defaultSecurityGroup(
  scope: Construct,
  vpc: ec2.IVpc,
  distributed: boolean,
): ec2.SecurityGroup {
  const sg = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `Jobs of ${scope.node.path}: HTTPS to AWS endpoints${distributed ? ', and between instances' : ''}`,
    allowAllOutbound: false,
  });
  // The subnets have no route to the internet: 443 reaches the interface endpoints and S3.
  sg.addEgressRule(
    ec2.Peer.anyIpv4(),
    ec2.Port.tcp(443),
    'HTTPS to the VPC endpoints and the S3 gateway endpoint',
  );
  if (distributed) {
    // Distributed training (NCCL, EFA) needs all traffic between the instances of one job;
    // it is encrypted (EnableInterContainerTrafficEncryption) and admitted from this group only.
    sg.addIngressRule(sg, ec2.Port.allTraffic(), 'between the instances of a distributed training job');
    sg.addEgressRule(sg, ec2.Port.allTraffic(), 'between the instances of a distributed training job');
    const ingress = sg.node.children.find(
      (c) => c.node.id.startsWith('from ') && c.node.id.endsWith('ALL TRAFFIC'),
    );
    if (ingress) {
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        acknowledge(ingress, `${pack}-EC2RestrictedCommonPorts`, {
          reason:
            'distributed training needs all ports between the instances of one job; the only source is this security group itself',
          ...INHERENT,
        });
      }
    }
  }
  return sg;
}

/** The VPC's isolated subnets when it has any, else its private subnets with egress. */
export function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return vpc.isolatedSubnets.length > 0
    ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
    : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
}
