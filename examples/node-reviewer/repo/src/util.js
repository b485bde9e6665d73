'use strict';

function clamp(n, lo, hi) {
  // FIXME: NaN passes through unclamped
  return Math.min(Math.max(n, lo), hi);
}

module.exports = { clamp };
