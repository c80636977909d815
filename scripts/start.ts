// `pnpm start`: the product's whole start-up lives in server/src/main.ts.
import '../server/src/main.js'
