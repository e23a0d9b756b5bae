export * from './sse-frame';
export * from './feed-filter';
export * from './sse-writer';
export * from './feed-pump';
