/** The testkit's manual clock, under the name these tests use. */
export { ManualScheduler as FakeScheduler } from '@phx-socket/testkit';
