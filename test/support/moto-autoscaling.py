"""
Test harness: moto's AWS emulator on a free loopback port, with one Auto Scaling group of
running instances and a termination lifecycle hook, for the agents' lifecycle script.

moto 5.2 answers DescribeAutoScalingInstances (with each instance's health status, which the
agent must leave alone) and DescribeLifecycleHooks but not CompleteLifecycleAction; the handler added below checks what AWS checks (group, hook,
instance, result) and then lets the instance go, as AWS does after Terminating:Wait.

Usage: python3 moto-autoscaling.py GROUP HOOK INSTANCES IMAGE
IMAGE is one of the images moto ships (lib/emulator/moto-quirks.ts): listing them all would cost
more CPU than the rest of the set-up.
Prints one JSON line {"endpoint": ..., "instances": [...]} and serves until stdin closes.
"""
import json
import os
import sys

import boto3
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import EmptyResult
from moto.server import ThreadedMotoServer


def complete_lifecycle_action(self):
    backend = self.autoscaling_backend
    group_name = self._get_param("AutoScalingGroupName")
    hook_name = self._get_param("LifecycleHookName")
    instance_id = self._get_param("InstanceId")
    result = self._get_param("LifecycleActionResult")
    group = backend.autoscaling_groups.get(group_name)
    if group is None:
        raise ValidationError(f"No Auto Scaling group named {group_name}")
    if f"{group_name}_{hook_name}" not in backend.lifecycle_hooks:
        raise ValidationError(f"No lifecycle hook {hook_name} in group {group_name}")
    if result not in ("CONTINUE", "ABANDON"):
        raise ValidationError(f"LifecycleActionResult must be CONTINUE or ABANDON, not {result}")
    if not any(state.instance.id == instance_id for state in group.instance_states):
        raise ValidationError(f"No active lifecycle action for instance {instance_id}")
    group.instance_states = [s for s in group.instance_states if s.instance.id != instance_id]
    group.desired_capacity = len(group.instance_states)
    backend.ec2_backend.terminate_instances([instance_id])
    return EmptyResult()


AutoScalingResponse.complete_lifecycle_action = complete_lifecycle_action

group_name, hook_name, count, image = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://{host}:{port}"

session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
ec2 = session.client("ec2", endpoint_url=endpoint)
autoscaling = session.client("autoscaling", endpoint_url=endpoint)
subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
ec2.create_launch_template(LaunchTemplateName=group_name, LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"})
autoscaling.create_auto_scaling_group(
    AutoScalingGroupName=group_name,
    LaunchTemplate={"LaunchTemplateName": group_name, "Version": "$Latest"},
    MinSize=0,
    MaxSize=count,
    DesiredCapacity=count,
    VPCZoneIdentifier=subnet,
    Tags=[{"Key": "cluster", "Value": "ci-aws", "PropagateAtLaunch": True}],
)
autoscaling.put_lifecycle_hook(
    AutoScalingGroupName=group_name,
    LifecycleHookName=hook_name,
    LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
    HeartbeatTimeout=720,
    DefaultResult="CONTINUE",
)
instances = [i["InstanceId"] for i in autoscaling.describe_auto_scaling_instances()["AutoScalingInstances"]]
print(json.dumps({"endpoint": endpoint, "instances": instances}), flush=True)
sys.stdin.read()
# Nothing to keep: leave without waiting for the server's threads.
os._exit(0)
