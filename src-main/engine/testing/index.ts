// Test helpers of the engine's own tests (the conformance suite lives in conformance/).
export { apiClient, bearer } from './api-client';
