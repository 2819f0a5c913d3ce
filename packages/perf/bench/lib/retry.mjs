// Other work on the machine may rebuild the packages while a benchmark runs; a client process that
// starts mid-build fails to import dist/. Such a failure (and only such a failure) is retried after a pause.
const MID_BUILD = /Cannot find module|ERR_MODULE_NOT_FOUND|does not provide an export named|Unexpected end of input/;

export async function retryIfMidBuild(fn, { attempts = 3, pauseMs = 5_000, log = () => {} } = {}) {
  for (let k = 1; ; k++) {
    try {
      return await fn();
    } catch (err) {
      if (k >= attempts || !MID_BUILD.test(String(err?.message ?? err))) throw err;
      log(`  (a client could not import its build, probably rebuilt meanwhile; retrying in ${pauseMs / 1000} s)`);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
