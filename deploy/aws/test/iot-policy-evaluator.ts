/**
 * A small evaluator for the IoT policies this stack synthesizes: enough of AWS IoT's rules to ask
 * "may this thing do this on this resource". Allow statements only (the stack writes no Deny),
 * `*` and `?` in resources as IoT reads them, `${iot:Connection.Thing.ThingName}` substituted, and
 * the one condition the policies use (the certificate attached to the thing).
 */

export interface Account {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export interface Connection {
  readonly thingName: string;
  readonly attached: boolean;
}

type Cfn = string | { Ref: string } | { 'Fn::Join': [string, Cfn[]] };

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Cfn | Cfn[];
  Condition?: Record<string, Record<string, string>>;
}

export interface Policy {
  Version: string;
  Statement: Statement[];
}

/** Resolves the pseudo parameters and joins CloudFormation builds into plain strings. */
export function resolveCfn(value: unknown, account: Account): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v['Ref'] === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': account.partition,
      'AWS::Region': account.region,
      'AWS::AccountId': account.accountId,
    };
    const resolved = pseudo[v['Ref']];
    if (resolved === undefined) throw new Error(`cannot resolve Ref ${v['Ref']}`);
    return resolved;
  }
  const join = v['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => resolveCfn(part, account)).join(join[0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** IoT resource matching: `*` any run of characters, `?` any one; everything else literal. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

const THING_NAME_VARIABLE = '${iot:Connection.Thing.ThingName}';

export function allows(
  policy: Policy,
  account: Account,
  connection: Connection,
  action: string,
  resource: string,
): boolean {
  return policy.Statement.some((s) => {
    if (s.Effect !== 'Allow' || !list(s.Action).includes(action)) return false;
    for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
      for (const [key, expected] of Object.entries(entries)) {
        if (operator !== 'Bool' || key !== 'iot:Connection.Thing.IsAttached') {
          throw new Error(`the evaluator does not know the condition ${operator} ${key}`);
        }
        if (String(connection.attached) !== expected) return false;
      }
    }
    return list(s.Resource).some((r) =>
      globMatches(
        resolveCfn(r, account).replaceAll(THING_NAME_VARIABLE, connection.thingName),
        resource,
      ),
    );
  });
}

/** The ARN of an IoT resource in the account. */
export const iotResource = (
  account: Account,
  kind: 'client' | 'topic' | 'topicfilter',
  name: string,
): string => `arn:${account.partition}:iot:${account.region}:${account.accountId}:${kind}/${name}`;
