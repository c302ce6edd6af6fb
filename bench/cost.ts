/**
 * List prices (USD, us-east-1, on-demand, no free tier), and the cost of 1,000 requests from the
 * counts measured for one request. Lambda compute uses each function's memory from the catalog
 * and Arm (the stack deploys ARM_64); the x86 figure is given beside it.
 */
export const prices = {
  region: 'us-east-1',
  stepFunctionsStandardPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaPerGbSecondX86: 0.0000166667,
  httpApiPerRequest: 1.0 / 1_000_000,
  dynamoDbPerWriteUnit: 1.25 / 1_000_000,
  dynamoDbPerReadUnit: 0.25 / 1_000_000,
  sesPerEmail: 0.1 / 1000,
  s3PerPutClassRequest: 0.005 / 1000,
  s3PerGetClassRequest: 0.0004 / 1000,
} as const;

export interface CostInput {
  readonly label: string;
  readonly transitions: number;
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number };
  readonly dynamodb: { readonly readUnits: number; readonly writeUnits: number };
  readonly s3: { readonly putClass: number; readonly getClass: number };
  readonly emails: number;
  readonly httpRequests: number;
}

const cents = (dollars: number) => Number(dollars.toFixed(4));

export function costPerThousand(input: CostInput): Record<string, number> {
  const perRequest = {
    stepFunctions: input.transitions * prices.stepFunctionsStandardPerTransition,
    lambdaRequests: input.lambda.invocations * prices.lambdaPerRequest,
    lambdaComputeArm: input.lambda.gbSeconds * prices.lambdaPerGbSecondArm,
    httpApi: input.httpRequests * prices.httpApiPerRequest,
    dynamoDb: input.dynamodb.writeUnits * prices.dynamoDbPerWriteUnit + input.dynamodb.readUnits * prices.dynamoDbPerReadUnit,
    ses: input.emails * prices.sesPerEmail,
    s3: input.s3.putClass * prices.s3PerPutClassRequest + input.s3.getClass * prices.s3PerGetClassRequest,
  };
  const total = Object.values(perRequest).reduce((sum, value) => sum + value, 0);
  const x86Total = total - perRequest.lambdaComputeArm + input.lambda.gbSeconds * prices.lambdaPerGbSecondX86;
  return {
    ...Object.fromEntries(Object.entries(perRequest).map(([key, value]) => [key, cents(value * 1000)])),
    total: cents(total * 1000),
    totalWithX86Lambda: cents(x86Total * 1000),
  };
}
