/** Target environments MoMo knows, and the currencies each one allows. */

/** Decimal places of each currency OpenMoMo handles (ISO 4217 minor units). */
export const CURRENCY_MINOR_UNITS = {
  EUR: 2,
  UGX: 0,
  GHS: 2,
  XOF: 0,
  ZMW: 2,
  XAF: 0,
  SZL: 2,
  GNF: 0,
  ZAR: 2,
  LRD: 2,
  RWF: 0,
} as const;

export type Currency = keyof typeof CURRENCY_MINOR_UNITS;

/** `X-Target-Environment` values and their allowed currencies; the sandbox is EUR only, as at MTN. */
export const TARGET_ENVIRONMENTS = {
  sandbox: ['EUR'],
  mtnuganda: ['UGX'],
  mtnghana: ['GHS'],
  mtnivorycoast: ['XOF'],
  mtnzambia: ['ZMW'],
  mtncameroon: ['XAF'],
  mtnbenin: ['XOF'],
  mtncongo: ['XAF'],
  mtnswaziland: ['SZL'],
  mtnguineaconakry: ['GNF'],
  mtnsouthafrica: ['ZAR'],
  mtnliberia: ['LRD'],
  mtnrwanda: ['RWF'],
} as const satisfies Record<string, readonly Currency[]>;

export type TargetEnvironment = keyof typeof TARGET_ENVIRONMENTS;

export function isTargetEnvironment(value: string): value is TargetEnvironment {
  return Object.hasOwn(TARGET_ENVIRONMENTS, value);
}

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(CURRENCY_MINOR_UNITS, value);
}

/** The MoMo products; each has its own subscription keys, tokens and partner account. */
export const PRODUCTS = ['collection', 'disbursement', 'remittance'] as const;
export type Product = (typeof PRODUCTS)[number];
