# Bakes the mesos-cluster base image on AWS: a Debian 12 instance runs image/provision.sh, and
# the result becomes the AMI that a cluster file names as `image`. See
# docs/base-image.md#baking-the-image.
#
#   packer build -var-file=image/my-image.pkrvars.hcl image/mesos-cluster.pkr.hcl
#
# Needs Packer with the Amazon builder (amazon-ebs) and the three artifacts that no Debian
# archive has (docs/base-image.md): the Mesos package, the Marathon tarball, the Java 8 JRE.
# AWS's SSM agent is downloaded by the build instance from AWS's bucket in var.region, at the
# version and SHA-256 given here.

variable "region" {
  type        = string
  description = "AWS region to build in; copy the AMI to other regions afterwards."
}

variable "subnet_id" {
  type        = string
  default     = ""
  description = "Subnet for the build instance (it needs a way to the Debian mirrors); empty: the default VPC."
}

variable "instance_type" {
  type        = string
  default     = "t3.medium"
  description = "Build instance type."
}

variable "source_ami_owner" {
  type        = string
  default     = "136693071363"
  description = "The Debian cloud team's AWS account, owner of the official Debian AMIs."
}

variable "source_ami_name" {
  type        = string
  default     = "debian-12-amd64-*"
  description = "Name pattern of the Debian 12 AMI to start from; the newest match is used."
}

variable "ami_name_prefix" {
  type        = string
  default     = "mesos-cluster"
  description = "The AMI is named <prefix>-<UTC timestamp>."
}

variable "mesos_deb" {
  type        = string
  description = "Path of the Mesos 1.11.0 package built with image/mesos-package (mesos_1.11.0-*.deb)."
}

variable "mesos_deb_sha256" {
  type        = string
  description = "SHA-256 of mesos_deb; provision.sh refuses any other file."
}

variable "marathon_tarball" {
  type        = string
  description = "Path of the Marathon 1.10.26 tarball (marathon-1.10.26-*.tgz, bin/marathon inside one top folder)."
}

variable "marathon_tarball_sha256" {
  type        = string
  description = "SHA-256 of marathon_tarball."
}

variable "java8_tarball" {
  type        = string
  description = "Path of a Java 8 JRE tarball for x86_64 Linux (e.g. Temurin 8 JRE), one top folder with bin/java."
}

variable "java8_tarball_sha256" {
  type        = string
  description = "SHA-256 of java8_tarball."
}

variable "ssm_agent_version" {
  type        = string
  description = "amazon-ssm-agent release to bake (e.g. 3.3.1142.0); Session Manager needs it on the nodes."
}

variable "ssm_agent_deb_sha256" {
  type        = string
  description = "SHA-256 of that release's debian_amd64/amazon-ssm-agent.deb, taken after checking AWS's signature (docs/base-image.md#baking-the-image)."
}

# Containment (issue #20): the build agents' Docker authorization plugin, an artifact like Mesos.
variable "opa_docker_authz" {
  type        = string
  description = "Path of Open Policy Agent's opa-docker-authz v0.9 binary for linux/amd64 (its build.sh: opa-docker-authz-linux-amd64)."
}

variable "opa_docker_authz_sha256" {
  type        = string
  description = "SHA-256 of opa_docker_authz; provision.sh refuses any other file."
}

locals {
  stamp        = regex_replace(timestamp(), "[- TZ:]", "")
  image_dir    = "/tmp/mesos-cluster-image"
  artifact_dir = "/tmp/mesos-cluster-artifacts"
}

source "amazon-ebs" "debian12" {
  region        = var.region
  subnet_id     = var.subnet_id
  instance_type = var.instance_type
  ssh_username  = "admin"
  ami_name      = "${var.ami_name_prefix}-${local.stamp}"
  encrypt_boot  = true

  source_ami_filter {
    filters = {
      name                = var.source_ami_name
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = [var.source_ami_owner]
    most_recent = true
  }

  tags = {
    Name         = "${var.ami_name_prefix}-${local.stamp}"
    managed-by   = "mesos-cluster"
    mesos        = "1.11.0"
    marathon     = "1.10.26"
    mesos-deb    = basename(var.mesos_deb)
    marathon-tgz = basename(var.marathon_tarball)
    ssm-agent    = var.ssm_agent_version
  }
}

build {
  sources = ["source.amazon-ebs.debian12"]

  provisioner "shell" {
    inline = ["mkdir -p ${local.image_dir} ${local.artifact_dir}"]
  }

  # This folder (units, log rotation, provision.sh) and the checker the first boot runs too.
  provisioner "file" {
    source      = "${path.root}/"
    destination = local.image_dir
  }

  provisioner "file" {
    source      = "${path.root}/../cloud-init/scripts/check-image.sh"
    destination = "${local.image_dir}/check-image.sh"
  }

  provisioner "file" {
    source      = var.mesos_deb
    destination = "${local.artifact_dir}/${basename(var.mesos_deb)}"
  }

  provisioner "file" {
    source      = var.marathon_tarball
    destination = "${local.artifact_dir}/${basename(var.marathon_tarball)}"
  }

  provisioner "file" {
    source      = var.java8_tarball
    destination = "${local.artifact_dir}/${basename(var.java8_tarball)}"
  }

  provisioner "file" {
    source      = var.opa_docker_authz
    destination = "${local.artifact_dir}/${basename(var.opa_docker_authz)}"
  }

  provisioner "shell" {
    environment_vars = [
      "IMAGE_DIR=${local.image_dir}",
      "ARTIFACT_DIR=${local.artifact_dir}",
      "MESOS_DEB=${basename(var.mesos_deb)}",
      "MESOS_DEB_SHA256=${var.mesos_deb_sha256}",
      "MARATHON_TARBALL=${basename(var.marathon_tarball)}",
      "MARATHON_TARBALL_SHA256=${var.marathon_tarball_sha256}",
      "JAVA8_TARBALL=${basename(var.java8_tarball)}",
      "JAVA8_TARBALL_SHA256=${var.java8_tarball_sha256}",
      "SSM_AGENT_VERSION=${var.ssm_agent_version}",
      "SSM_AGENT_DEB_SHA256=${var.ssm_agent_deb_sha256}",
      "SSM_AGENT_REGION=${var.region}",
      "OPA_DOCKER_AUTHZ=${basename(var.opa_docker_authz)}",
      "OPA_DOCKER_AUTHZ_SHA256=${var.opa_docker_authz_sha256}",
    ]
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E bash {{ .Path }}"
    inline          = ["bash ${local.image_dir}/provision.sh", "rm -rf ${local.image_dir} ${local.artifact_dir}"]
  }

  post-processor "manifest" {
    output     = "packer-manifest.json"
    strip_path = true
  }
}
