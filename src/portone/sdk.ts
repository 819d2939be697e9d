// @portone/server-sdk's root module loads every API PortOne has (half a second of every start, in every process
// and test file); its clients and error class matter only to a service set up for PortOne, so they load on first
// use. Its webhook verifier is a light module of its own ('@portone/server-sdk/webhook').
import type * as Sdk from '@portone/server-sdk';

export type PortOneSdk = typeof Sdk;

let loading: Promise<PortOneSdk> | undefined;

/** The SDK's root module, loaded once. */
export const portOneSdk = (): Promise<PortOneSdk> => (loading ??= import('@portone/server-sdk'));

/** Starts loading it now, for an adapter being set up: its first call need not wait; a failure shows at that call. */
export function preloadPortOneSdk(): void {
  portOneSdk().catch(() => {});
}
