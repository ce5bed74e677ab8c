/**
 * `npm run check:state-backend -- <cluster file>`: is the S3 bucket (and DynamoDB lock table) the
 * cluster file names fit to hold its state? One line per problem, exit 1; "ok" and exit 0.
 * Uses the AWS CLI with the caller's credentials (AWS_ENDPOINT_URL points it elsewhere, e.g. moto).
 */
import { execFile } from 'node:child_process';
import { CLOUD_RULES } from './cloud-registry';
import { CommandError, runCommand } from './command-exit';
import { cliPositionals } from './positionals';
import { ClusterFileError, parseClusterFile } from '../model';
import { readClusterFile } from '../model/read-cluster-file';
import { AwsCliRunner, stateBackendProblems } from '../state/state-bucket-check';
import { stateMessages } from '../state/messages';

const USAGE = 'usage: npm run check:state-backend -- <cluster file>';

const awsCli: AwsCliRunner = (args) =>
  new Promise((resolve) => {
    execFile('aws', [...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? 'aws: not found on PATH; install the AWS CLI' : stderr });
    });
  });

async function main(argv: string[]): Promise<number> {
  const positionals = cliPositionals(argv, USAGE, 1, 1);
  if (positionals === 2) return 2;
  const [file] = positionals;
  const read = readClusterFile(file);
  if ('problem' in read) throw new CommandError(read.problem);
  let backend;
  try {
    backend = parseClusterFile(file, read.text, CLOUD_RULES).backend;
  } catch (error) {
    if (error instanceof ClusterFileError) throw new CommandError(error.message);
    throw error;
  }
  if (backend?.type !== 's3') throw new CommandError(stateMessages.notS3(file));
  const problems = await stateBackendProblems(backend, awsCli);
  process.stdout.write(problems.length === 0 ? `ok: s3://${backend.bucket} is versioned and encrypted${backend.dynamodbTable ? `, ${backend.dynamodbTable} locks on LockID` : ''}\n` : `${problems.join('\n')}\n`);
  return problems.length === 0 ? 0 : 1;
}

runCommand('check-state-backend', () => main(process.argv.slice(2)));
