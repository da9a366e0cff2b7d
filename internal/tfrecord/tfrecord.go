// Package tfrecord writes and reads TFRecord files
// (tensorflow/core/lib/io/record_writer.cc), the framing of TF's event
// files: each record is its length (uint64, little-endian), the masked
// CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
package tfrecord

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/gorgoflow/gorgoflow/internal/crc32c"
)

// Append appends one framed record holding data to b.
func Append(b, data []byte) []byte {
	var hdr [12]byte
	binary.LittleEndian.PutUint64(hdr[:8], uint64(len(data)))
	binary.LittleEndian.PutUint32(hdr[8:], crc32c.Mask(crc32c.Value(hdr[:8])))
	b = append(b, hdr[:]...)
	b = append(b, data...)
	return binary.LittleEndian.AppendUint32(b, crc32c.Mask(crc32c.Value(data)))
}

// Write writes one record to w.
func Write(w io.Writer, data []byte) error {
	_, err := w.Write(Append(nil, data))
	return err
}

// Read splits b into its records, checking both checksums of each.
func Read(b []byte) ([][]byte, error) {
	var out [][]byte
	for off := 0; off < len(b); {
		if len(b)-off < 12 {
			return out, fmt.Errorf("record %d at byte %d: %d bytes left, a header needs 12 (truncated)", len(out), off, len(b)-off)
		}
		hdr := b[off : off+12]
		if crc32c.Mask(crc32c.Value(hdr[:8])) != binary.LittleEndian.Uint32(hdr[8:]) {
			return out, fmt.Errorf("record %d at byte %d: corrupted length (checksum mismatch)", len(out), off)
		}
		n := binary.LittleEndian.Uint64(hdr[:8])
		if n > uint64(len(b)-off-12) || uint64(len(b)-off-12)-n < 4 {
			return out, fmt.Errorf("record %d at byte %d: %d bytes of data announced, fewer left (truncated)", len(out), off, n)
		}
		data := b[off+12 : off+12+int(n)]
		if crc32c.Mask(crc32c.Value(data)) != binary.LittleEndian.Uint32(b[off+12+int(n):]) {
			return out, fmt.Errorf("record %d at byte %d: corrupted data (checksum mismatch)", len(out), off)
		}
		out = append(out, data)
		off += 12 + int(n) + 4
	}
	return out, nil
}
