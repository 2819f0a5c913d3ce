import { CHANNEL_EVENTS, type Message } from '@phx-socket/transport';
import type { PacedChannel } from './host';
import { PackedChannel } from './packed-channel';
import { Push, type PushStatus } from './push';
import { CircuitOpenError } from './errors';
import { RetryTimer, type RetryTarget } from './retry-timer';

/** A join must last this long to count as a success (see `ChannelHost.healthyAfterMs`), ms. */
const DEFAULT_HEALTHY_AFTER_MS = 1000;

/**
 * How a channel gets into its topic and back in: the (re)join, the outcomes of its join push, and the
 * rejoin with backoff after a refused or timed-out join or an error. The channel is the join push's
 * listener and its own rejoin timer's target, so none of this costs a closure per channel.
 */
export abstract class JoinLifecycle extends PackedChannel implements PacedChannel, RetryTarget {
  /** @internal */
  abstract dispatch(message: Message): void;
  /** @internal */
  abstract onSocketOpen(): void;
  /** @internal */
  abstract onSocketDown(reason: string): void;

  /** @internal The join push went out with a new ref. */
  override pushSent(push: Push, ref: string): void {
    if (push === this.joinPush) this.onJoinSent(ref);
  }

  /** @internal The join push got its reply or timed out. */
  override pushSettled(push: Push, status: PushStatus, response: unknown, sentAt?: number): void {
    if (push !== this.joinPush) return;
    const now = this.host.scheduler.now();
    const durationMs = now - (this.joinStartedAt(sentAt) ?? now);
    if (status === 'ok') this.onJoinOk(durationMs);
    else if (status === 'error') this.onJoinFailed(response, durationMs);
    else this.onJoinTimeout(durationMs);
  }

  /** @internal Rejoin timer fired. */
  retry(): void {
    if (this.host.isConnected()) this.rejoin();
  }

  /** @internal */
  retryDelayMs(tries: number): number {
    return this.host.rejoinAfterMs(tries);
  }

  protected rejoin(timeoutMs: number = this.timeoutMs): void {
    if (this.current === 'leaving') return;
    this.host.leaveOpenTopic(this);
    this.transition('joining');
    this.startJoinClock();
    // A join never waits in a socket buffer (a bounded one could drop it): offline, it waits here, its
    // timeout running, and goes out when the socket opens (onSocketOpen).
    const pacer = this.host.pacer;
    if (this.host.isConnected()) {
      // Rate-limited joins wait their turn with no timer: the timeout counts from the send.
      if (pacer == null) this.joinPush.resend(timeoutMs);
      else {
        this.joinPush.hold(timeoutMs);
        pacer.join(this);
      }
    } else {
      this.joinPush.wait(timeoutMs);
      this.host.needConnection?.();
    }
  }

  /**
   * Rejoins later, with backoff. A channel that keeps failing (`circuitBreaker.threshold` failed joins, or
   * errors within `healthyAfterMs` of joining, in a row) waits the cool-down instead and says so.
   */
  protected scheduleRejoin(): void {
    const timer = (this.rejoinTimer ??= new RetryTimer(this.host.scheduler, this));
    timer.failed(this.host.scheduler.now(), this.host.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS);
    const breaker = this.host.circuitBreaker;
    const failures = timer.attempts + 1;
    if (breaker == null || failures < breaker.threshold) {
      timer.schedule();
      return;
    }
    timer.schedule(breaker.coolDownMs);
    const error = new CircuitOpenError('channel', failures, breaker.coolDownMs, this.topic);
    this.host.emit('channel:circuit_open', {
      measurements: { failures: error.failures, cool_down_ms: breaker.coolDownMs },
      metadata: { topic: this.topic, error },
    });
    this.circuitOpened(error);
  }

  /** The channel stopped rejoining for a cool-down: tell its error handlers. */
  protected abstract circuitOpened(error: CircuitOpenError): void;

  /** Each join push carries a new ref, which becomes the join_ref; the old one is stale from now on. */
  private onJoinSent(ref: string): void {
    const previous = this.currentJoinRef;
    this.currentJoinRef = ref;
    this.host.bindJoinRef(this, ref, previous);
    if (this.host.wants?.('channel:joining') === false) return;
    this.host.emit('channel:joining', {
      measurements: { attempt: (this.rejoinTimer?.attempts ?? 0) + 1 },
      metadata: { topic: this.topic, join_ref: ref },
    });
  }

  private onJoinOk(durationMs: number): void {
    this.rejoinTimer?.succeeded(this.host.scheduler.now());
    this.transition('joined');
    this.host.emit('channel:joined', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '' },
    });
    this.pushBuffer?.drain((push) => this.flush(push));
  }

  private onJoinFailed(response: unknown, durationMs: number): void {
    this.host.emit('channel:join_failed', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '', reason: response },
    });
    if (this.current === 'leaving' || this.current === 'closed') return;
    this.transition('errored');
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  private onJoinTimeout(durationMs: number): void {
    this.host.log('channel', `timeout ${this.topic} (${this.currentJoinRef})`, this.joinPush.timeoutMs);
    this.host.emit('channel:join_failed', {
      measurements: { duration_ms: durationMs },
      metadata: { topic: this.topic, join_ref: this.currentJoinRef ?? '', reason: 'timeout' },
    });
    if (this.current === 'leaving' || this.current === 'closed') return;
    // Tell the server to drop the half-made join (if it was sent); the reply (if any) is not awaited.
    if (this.joinPush.ref !== null && this.host.isConnected()) new Push(this, CHANNEL_EVENTS.leave, {}, this.timeoutMs).send();
    // That leave makes the server close the old join with a phx_close carrying its join_ref: retire the ref
    // so the message is routed as an old join's and cannot close this channel before it rejoins.
    const stale = this.currentJoinRef;
    this.currentJoinRef = null;
    this.host.bindJoinRef(this, null, stale);
    this.transition('errored');
    this.joinPush.reset();
    if (this.host.isConnected()) this.scheduleRejoin();
  }

  /** @internal A pushed app message goes out now, or through the socket's rate limiter when it has one. */
  protected sendNow(push: Push): void {
    const pacer = this.host.pacer;
    if (pacer == null) push.send();
    else pacer.push(this, push);
  }

  /** @internal The rate limiter's turn for `push` came (see `ChannelPacer`). */
  sendPaced(push: Push): void {
    if (this.canPush()) push.send();
    else this.unsent(push);
  }

  /** @internal The rate limiter's turn for the join came: sends it if the channel still waits to join. */
  sendPacedJoin(): void {
    if (this.current === 'joining' && this.host.isConnected() && !this.joinPush.isPending) this.joinPush.resend();
  }

  /** @internal A push found no open transport (or no join) when it went to send: it waits for the rejoin. */
  abstract unsent(push: Push): void;

  private flush(push: Push): void {
    if (this.canPush()) this.sendNow(push);
    else this.buffer().hold(push);
  }
}
