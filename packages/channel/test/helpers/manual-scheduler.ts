/** The testkit's manual clock: timers fire only when a test advances time. */
export { ManualScheduler } from '@phx-socket/testkit';
