export * from './state.js'
export * from './rules.js'
export * from './slots.js'
