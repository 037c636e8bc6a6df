#!/usr/bin/env node
/**
 * The installed `cdk8s-data-verify` command: scripts/bundle-clis.js bundles this file with its
 * dependencies into build/bin/cdk8s-data-verify.js. The CLI itself is ./cli.
 */
import { main } from './cli';

// The command's luxon is its own copy (bundled, shared with no other code). With a default locale
// set, luxon never asks ICU for the system's, which costs about 20 ms of every run. Its only user
// here, cron-parser, computes in UTC with ISO weekdays and formats nothing: no result depends on it.
require('luxon').Settings.defaultLocale = 'en-US';

process.exitCode = main(process.argv.slice(2));
