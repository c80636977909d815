import { describe, expect, it } from 'vitest'
import { fitWithin, jpegName, qualitySteps } from './imageCompress'

describe('fitWithin', () => {
  it('keeps small images as they are', () => {
    expect(fitWithin(800, 600, 1280)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(1280, 1280, 1280)).toEqual({ width: 1280, height: 1280 })
  })
  it('scales a landscape photo so the long edge is the max', () => {
    expect(fitWithin(4032, 3024, 1280)).toEqual({ width: 1280, height: 960 })
  })
  it('scales a portrait photo by its height', () => {
    expect(fitWithin(3024, 4032, 1280)).toEqual({ width: 960, height: 1280 })
  })
  it('keeps at least one pixel on a very thin image', () => {
    expect(fitWithin(10000, 2, 1280)).toEqual({ width: 1280, height: 1 })
  })
  it('returns zero for an invalid size', () => {
    expect(fitWithin(0, 100, 1280)).toEqual({ width: 0, height: 0 })
    expect(fitWithin(Number.NaN, 100, 1280)).toEqual({ width: 0, height: 0 })
  })
})

describe('qualitySteps', () => {
  it('starts at 0.8 and steps down by 0.1', () => {
    expect(qualitySteps()).toEqual([0.8, 0.7, 0.6, 0.5, 0.4])
    expect(qualitySteps(0.8, 0.5)).toEqual([0.8, 0.7, 0.6, 0.5])
  })
})

describe('jpegName', () => {
  it('swaps the extension for .jpg', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg')
    expect(jpegName('photo')).toBe('photo.jpg')
    expect(jpegName('.png')).toBe('photo.jpg')
  })
})
