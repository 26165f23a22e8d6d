// memlab (a dev dependency, the heapsnapshot tests' loader) depends on puppeteer; nodescope never
// runs a browser, so no browser is downloaded on install.
module.exports = { skipDownload: true };
