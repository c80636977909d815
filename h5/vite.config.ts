import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import pxToViewport from 'postcss-px-to-viewport-8-plugin'
import { compression } from 'vite-plugin-compression2'
import { fontsAsFiles } from './build/fonts-as-files'

// Vant is imported per component (its CSS too) through the resolver; px → vw at a 375 design width,
// Vant's own CSS included, so every page fits any phone width. Font sizes stay in px (Vant's
// --van-*font-size* variables too): converted, 12px became 10.2px on a 320px phone, below the 12px floor.
// 长辈版 (styles/elder.css) stays in px: its 18px text and 60px tap targets are floors, not a design scale.
export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [VantResolver()], dts: false }),
    Components({ resolvers: [VantResolver()], dts: false }),
    fontsAsFiles(),
    // .br and .gz next to each file, written once at build: the server sends them as they are
    // (@fastify/static preCompressed) instead of compressing on every request. Files that would not get
    // smaller are left without a sibling and go out plain.
    compression({ algorithms: ['brotliCompress', 'gzip'] }),
  ],
  css: {
    postcss: {
      plugins: [pxToViewport({ viewportWidth: 375, unitPrecision: 4, minPixelValue: 1, exclude: [/[\\/]styles[\\/]elder\.css$/], propList: ['*', '!font-size', '!*font-size*'] })],
    },
  },
  build: {
    target: 'es2019',
    chunkSizeWarningLimit: 300,
    rollupOptions: {
      output: {
        // Vue and Vant in one file: left to Rollup, Vant's components became ~15 tiny shared chunks, and on
        // a phone network each costs a round trip (6 connections over HTTP/1.1), which made the login page
        // wait for four waves of requests. One file also keeps its hash, so its cache survives our deploys.
        manualChunks: (id) => (/[\\/]node_modules[\\/](vant|@vant|vue|@vue|vue-router|pinia)[\\/]/.test(id) ? 'vendor' : undefined),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  test: { environment: 'happy-dom' },
})
