'use strict';
const { clamp } = require('./util');

class Queue {
  constructor(limit) {
    this.items = [];
    this.limit = clamp(limit, 1, 1000);
  }

  push(item) {
    // TODO: report the dropped item to the caller
    if (this.items.length >= this.limit) this.items.shift();
    this.items.push(item);
  }

  pop() {
    console.log('pop', this.items.length);
    return this.items.shift();
  }
}

module.exports = { Queue };
