#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG, parseConfig } from './config';
import { buildPlatform } from './platform-app';

const app = new App();
const configFile = app.node.tryGetContext('config') as string | undefined;
const config = configFile ? parseConfig(JSON.parse(readFileSync(configFile, 'utf8'))) : DEFAULT_CONFIG;
buildPlatform(app, config);
app.synth();
