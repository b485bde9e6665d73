'use strict';
const assert = require('assert');
const { Queue } = require('../src/queue');

const q = new Queue(2);
q.push(1); q.push(2); q.push(3);
assert.strictEqual(q.pop(), 2);
