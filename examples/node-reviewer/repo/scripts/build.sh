#!/bin/sh
mkdir -p dist && cp src/*.js dist/
