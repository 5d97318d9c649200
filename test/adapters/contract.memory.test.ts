import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { describeStoreContract } from '../../src/testing/index.js';

describeStoreContract('in-memory store', async () => ({ store: createMemoryStore() }), { describe, it, expect });
