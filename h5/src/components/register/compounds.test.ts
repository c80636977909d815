import { describe, expect, it } from 'vitest'
import { addressOf, parseAddress } from './compounds'

const BUILDINGS = [
  { id: 11, name: '1幢', units: 2 },
  { id: 13, name: '3幢', units: 3 },
  { id: 20, name: '10号楼', units: 1 },
]

describe('parseAddress (the register search box)', () => {
  it.each([
    ['3-502', { buildingId: 13, room: '502' }],
    ['3幢502', { buildingId: 13, room: '502' }],
    ['3幢502室', { buildingId: 13, room: '502' }],
    ['3幢2单元502', { buildingId: 13, unit: 2, room: '502' }],
    ['3-2-502', { buildingId: 13, unit: 2, room: '502' }],
    ['３－５０２', { buildingId: 13, room: '502' }],
    ['10号楼301', { buildingId: 20, room: '301' }],
  ])('reads %s as a building, unit and room', (text, want) => {
    expect(parseAddress(text, BUILDINGS)).toEqual(want)
  })

  it.each(['502', '王', '1234', '9-502', '3幢', ''])('leaves %s to the name / room / phone search', (text) => {
    expect(parseAddress(text, BUILDINGS)).toBeNull()
  })
})

describe('addressOf', () => {
  it('names building, unit and room, adding 幢 and 室 only when missing', () => {
    expect(addressOf({ buildingName: '3幢', unit: 2, room: '502' })).toBe('3幢 2单元 502室')
    expect(addressOf({ buildingName: '10号楼', unit: 1, room: '301室' }, 1)).toBe('10号楼 301室')
    expect(addressOf({ buildingName: '5', unit: 1, room: '101' }, 1)).toBe('5幢 101室')
  })
})
