/**
 * The promise half of a push: `then`/`catch`/`finally` over a promise the subclass makes on first use, so a
 * push nobody awaits never creates one (and never reports an unhandled rejection). `Push`, and the pushes
 * of a pool or shared channel, which outlive the socket they were sent on, share it.
 */
export abstract class Awaitable<R> implements PromiseLike<R> {
  /** The promise of the outcome, made on first call. */
  protected abstract asPromise(): Promise<R>;

  then<T1 = R, T2 = never>(
    onfulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.asPromise().then(onfulfilled, onrejected);
  }

  catch<T = never>(onrejected?: ((reason: unknown) => T | PromiseLike<T>) | null): Promise<R | T> {
    return this.asPromise().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<R> {
    return this.asPromise().finally(onfinally);
  }
}
