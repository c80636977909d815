import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import pxToViewport from 'postcss-px-to-viewport-8-plugin'
import { compression } from 'vite-plugin-compression2'
import { VitePWA } from 'vite-plugin-pwa'
import { fontsAsFiles } from './build/fonts-as-files'
import { qrWorkerAsFile } from './build/qr-worker'

// Vant is imported per component (its CSS too) through the resolver; px → vw at a 375 design width,
// Vant's own CSS included, so every page fits any phone width. Font sizes stay in px (Vant's
// --van-*font-size* variables too): converted, 12px became 10.2px on a 320px phone, below the 12px floor.
// 长辈版 (styles/elder.css) stays in px: its 18px text and 60px tap targets are floors, not a design scale.
/** Vant's folders the entry chunk imports (found by building with every Vant module left to Rollup). */
const ENTRY_VANT = new Set(
  'action-bar,action-bar-button,badge,button,cell,cell-group,composables,config-provider,dialog,field,form,icon,image,image-preview,loading,locale,notify,overlay,popup,sticky,style,swipe,swipe-item,tab,tabs,toast,utils'.split(','),
)

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [VantResolver()], dts: false }),
    Components({ resolvers: [VantResolver()], dts: false }),
    fontsAsFiles(),
    qrWorkerAsFile(),
    // The gate and the resident's pass must open with no network (a gate has none at times): Workbox
    // precaches the app shell — index.html, every JS/CSS chunk, the icon font, the QR decoder worker.
    // Registered by h5/src/gate/pwa.ts only when the gate or pass page opens, after load: the login page's
    // first load (and its budget) never sees a service worker.
    VitePWA({
      injectRegister: null,
      registerType: 'autoUpdate',
      manifest: {
        name: '崇川在线',
        short_name: '崇川在线',
        description: '崇川在线：通行码、卡口核验与疫情防控反馈',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f7f8fa',
        theme_color: '#c8161d',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      includeAssets: ['favicon.ico', 'apple-touch-icon.png'],
      workbox: {
        globPatterns: ['**/*.{js,css,html,woff2,woff,ttf,ico,png,svg,webmanifest}'],
        // The compressed siblings are the server's business; the browser gets one of them per URL anyway.
        // ECharts (~185 KB gzip) serves the staff dashboards, which need the network anyway: a gate phone
        // installing the app must not download it.
        globIgnores: ['**/*.br', '**/*.gz', '**/echarts-*.js'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // The vendor chunk is ~300 KB uncompressed.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
    // .br and .gz next to each file, written once at build: the server sends them as they are
    // (@fastify/static preCompressed) instead of compressing on every request. Files that would not get
    // smaller are left without a sibling and go out plain.
    // Every asset gets both siblings, even a tiny shared chunk whose .gz is a few bytes larger: the server
    // then never falls back to sending a file uncompressed for want of one.
    compression({ algorithms: ['brotliCompress', 'gzip'], skipIfLargerOrEqual: false }),
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
        // The Vant components the entry (login page and shell) needs travel with Vue; the rest, used only by
        // pages behind a login, are one more file fetched with the first such page, so every new page's
        // components do not grow the first load.
        manualChunks: (id) => {
          if (/[\\/]node_modules[\\/](vue|@vue|vue-router|pinia)[\\/]/.test(id)) return 'vendor'
          if (/[\\/]node_modules[\\/]@vant[\\/](use|popperjs)[\\/]/.test(id)) return 'vendor'
          const vant = /[\\/]node_modules[\\/]vant[\\/]es[\\/]([^\\/]+)/.exec(id)
          if (!vant) return undefined
          return ENTRY_VANT.has(vant[1]!) ? 'vendor' : 'vant'
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  test: { environment: 'happy-dom' },
})
