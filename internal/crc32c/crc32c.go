// Package crc32c computes the CRC-32C (Castagnoli) checksums TensorFlow's
// file formats carry, and their masked form (crc32c::Mask in
// tensorflow/core/lib/hash/crc32c.h), which tables, tensor bundles and
// TFRecord files store so that a checksum of data holding checksums stays
// well distributed.
package crc32c

import "hash/crc32"

var table = crc32.MakeTable(crc32.Castagnoli)

const maskDelta = 0xa282ead8

// Value returns the CRC-32C of b.
func Value(b []byte) uint32 { return crc32.Checksum(b, table) }

// Extend returns the CRC-32C of the data whose checksum is crc followed by b.
func Extend(crc uint32, b []byte) uint32 { return crc32.Update(crc, table, b) }

// Mask returns the masked form of crc: rotated right by 15 bits, plus a
// constant.
func Mask(crc uint32) uint32 { return ((crc >> 15) | (crc << 17)) + maskDelta }

// Unmask inverts Mask.
func Unmask(m uint32) uint32 {
	r := m - maskDelta
	return (r >> 17) | (r << 15)
}
