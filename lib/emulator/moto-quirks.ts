/**
 * Every way the moto AWS emulator (5.2.1) differs from AWS that the emulator tests work around,
 * in one place, each with why. Nothing here reaches a synthesized stack: moto-workspace.ts writes
 * it into an `*_override.tf.json` file in a scratch copy.
 */

/** moto knows only the images it ships; the test cluster uses one of them instead of the example's. */
export const MOTO_IMAGE = 'ami-0ed094fb1304fd857';

/** The AWS services the stacks use (and ones teammates may add), all answered by the one moto server. */
export const MOTO_SERVICES: readonly string[] = [
  'acm', 'autoscaling', 'cloudwatch', 'dynamodb', 'ec2', 'elbv2', 'iam', 'kms', 'logs', 's3', 'secretsmanager', 'ssm', 'sts',
];

/** Provider settings for moto. */
export const MOTO_PROVIDER_SETTINGS = {
  access_key: 'testing',
  secret_key: 'testing',
  skip_credentials_validation: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  // Must stay false: with it true the provider does not learn the account id (moto's STS answers),
  // builds ARNs without it, and rules that reference a security group diff on every plan.
  skip_requesting_account_id: false,
  // moto answers an unsupported call with an error the provider would retry for minutes (25
  // attempts by default); a few attempts still ride out the odd garbled answer of a busy moto
  // (seen: DescribeTags failing with status 200 while two applies ran side by side).
  max_retries: 3,
};

export interface IgnoredAttribute {
  readonly resourceType: string;
  readonly attribute: string;
  /** What moto reads back and why that is not a change of ours. */
  readonly why: string;
}

/**
 * Attributes moto reads back differently from what was applied; ignored so that a plan right
 * after apply is a no-op, as it is on AWS. None of them is one a check reads.
 */
export const MOTO_IGNORED_ATTRIBUTES: readonly IgnoredAttribute[] = [
  {
    resourceType: 'aws_instance',
    attribute: 'vpc_security_group_ids',
    why: 'moto describes the instance without the security groups it was launched with, so every plan would add them again',
  },
  {
    resourceType: 'aws_launch_template',
    attribute: 'tag_specifications',
    why: 'moto reads back an extra `launch-template` tag specification holding the default tags, which every plan would remove',
  },
  {
    resourceType: 'aws_vpc_security_group_ingress_rule',
    attribute: 'description',
    why: 'moto does not return a rule description, so every plan would set it again',
  },
  {
    resourceType: 'aws_autoscaling_lifecycle_hook',
    attribute: 'role_arn',
    why: 'moto reads back a fixed example role ARN when the hook was created without one',
  },
  {
    resourceType: 'aws_autoscaling_lifecycle_hook',
    attribute: 'notification_target_arn',
    why: 'moto reads back a fixed example SQS queue ARN when the hook was created without one',
  },
  {
    resourceType: 'aws_vpc_security_group_egress_rule',
    attribute: 'description',
    why: 'as for ingress rules: the description is not returned',
  },
  {
    resourceType: 'aws_autoscaling_policy',
    attribute: 'enabled',
    why: 'moto describes a scaling policy without `Enabled`, which the provider reads as false, so every plan would enable it again',
  },
  {
    resourceType: 'aws_autoscaling_policy',
    attribute: 'predictive_scaling_configuration',
    why: 'moto describes a target-tracking policy with an empty PredictiveScalingConfiguration, which the provider reads as one empty block that every plan would remove',
  },
];

export interface DisabledResource {
  readonly resourceType: string;
  readonly why: string;
}

/**
 * Resource types moto has no API for, disabled in the scratch copy (`count = 0` in the override),
 * so the rest of the stack applies. Nothing in the scenarios reads them; their own tests are synth tests.
 */
export const MOTO_DISABLED_RESOURCES: readonly DisabledResource[] = [
  {
    resourceType: 'aws_dlm_lifecycle_policy',
    why: 'moto 5.2.1 implements no Data Lifecycle Manager API; the provider would call the real dlm endpoint and fail',
  },
];

/**
 * Environment for the moto server: AWS-managed IAM policies (such as
 * `service-role/AWSDataLifecycleManagerServiceRole`, attached to the backup role) exist in moto
 * only when it is asked to load them; otherwise AttachRolePolicy answers NoSuchEntity.
 */
export const MOTO_ENVIRONMENT: Readonly<Record<string, string>> = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };

export interface ReplacedArgument {
  readonly resourceType: string;
  readonly argument: string;
  /** The value the scratch copy uses instead. */
  readonly value: unknown;
  readonly why: string;
}

/**
 * Resources that exist only in the scratch copy, to stand in for what the stack names but moto
 * cannot have (written as a plain `moto_stand_ins.tf.json`: an override file cannot add resources).
 */
export const MOTO_STAND_INS = {
  resource: {
    aws_acm_certificate: {
      'moto-stand-in': { domain_name: 'ui.moto.test', validation_method: 'DNS' },
    },
  },
};

/**
 * Arguments moto cannot apply as synthesized (an ARN of something that exists only on AWS),
 * replaced in the scratch copy where the stack sets them. A resource type a teammate adds that
 * moto cannot create gets its workaround here, with why.
 */
export const MOTO_REPLACED_ARGUMENTS: readonly ReplacedArgument[] = [
  {
    resourceType: 'aws_lb_listener',
    argument: 'certificate_arn',
    value: '${aws_acm_certificate.moto-stand-in.arn}',
    why: "the cluster file's ACM certificate exists only on AWS; moto refuses a listener whose certificate it does not hold (CertificateNotFound, retried by the provider for minutes)",
  },
];

/**
 * Corrected in the launcher (launch-moto.py), not ignored: moto 5.2.1 keeps the network interface
 * EC2 creates at launch when the instance terminates, so its private address stays taken and
 * `terraform apply -replace` of a server at a fixed address fails with "IP already in use". The
 * launcher deletes such interfaces on termination, as AWS does (DeleteOnTermination defaults to true).
 */
export const MOTO_LAUNCHER_CORRECTION = 'launch interfaces are deleted, and their addresses freed, on termination';
