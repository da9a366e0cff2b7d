// Package table writes and reads TensorFlow's immutable sorted string
// tables (tensorflow/core/lib/io/table_builder.cc, block_builder.cc,
// format.cc), the format TF shares with LevelDB's SSTables and uses for the
// .index file of a V2 checkpoint.
//
// A table is a sequence of blocks followed by a 48-byte footer. Each block
// holds sorted key/value entries, keys prefix-compressed against the
// previous key with a restart point (a full key) every 16 entries, then the
// restart offsets and their count (fixed32 each); each block is followed by
// a compression-type byte (0: none) and the masked CRC-32C of the block and
// that byte. After the data blocks come an empty metaindex block and the
// index block (one entry per data block: a separator key >= the block's
// last key and < the next block's first key, and the block's handle, its
// offset and size as varint64s). The footer holds the metaindex and index
// handles, zero padding to 40 bytes and the magic number
// 0xdb4775248b80fb57 (little-endian).
//
// This package writes uncompressed blocks, as TF's BundleWriter does, and
// reads uncompressed ones; a Snappy-compressed block (written by some TF
// releases before 1.2 for other tables) is reported as unsupported.
package table

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gorgoflow/gorgoflow/internal/crc32c"
)

// Magic is the table magic number at the end of every table.
const Magic uint64 = 0xdb4775248b80fb57

// FooterSize is the encoded size of a table's footer.
const FooterSize = 2*maxHandleSize + 8

const (
	maxHandleSize   = 20 // two varint64s
	blockTrailer    = 5  // type byte + fixed32 crc
	blockSize       = 262144
	restartInterval = 16
)

// Builder accumulates a table's entries; keys must be added in strictly
// increasing bytewise order. Its zero value is ready to use.
type Builder struct {
	out          []byte
	data         block
	index        block
	lastKey      []byte
	entries      int
	pending      bool
	pendingStart uint64
	pendingSize  uint64
	err          error
}

// block is TF's BlockBuilder.
type block struct {
	buf      []byte
	restarts []uint32
	counter  int
	last     []byte
	interval int
	started  bool
}

func (b *block) reset(interval int) {
	b.buf = b.buf[:0]
	b.restarts = append(b.restarts[:0], 0)
	b.counter = 0
	b.last = b.last[:0]
	b.interval = interval
	b.started = true
}

func (b *block) empty() bool { return len(b.buf) == 0 }

func (b *block) sizeEstimate() int { return len(b.buf) + 4*len(b.restarts) + 4 }

func (b *block) add(key, value []byte) {
	shared := 0
	if b.counter < b.interval {
		n := min(len(b.last), len(key))
		for shared < n && b.last[shared] == key[shared] {
			shared++
		}
	} else {
		b.restarts = append(b.restarts, uint32(len(b.buf)))
		b.counter = 0
	}
	b.buf = protowire.AppendVarint(b.buf, uint64(shared))
	b.buf = protowire.AppendVarint(b.buf, uint64(len(key)-shared))
	b.buf = protowire.AppendVarint(b.buf, uint64(len(value)))
	b.buf = append(b.buf, key[shared:]...)
	b.buf = append(b.buf, value...)
	b.last = append(b.last[:0], key...)
	b.counter++
}

func (b *block) finish() []byte {
	for _, r := range b.restarts {
		b.buf = binary.LittleEndian.AppendUint32(b.buf, r)
	}
	return binary.LittleEndian.AppendUint32(b.buf, uint32(len(b.restarts)))
}

func (t *Builder) init() {
	if !t.data.started {
		t.data.reset(restartInterval)
		t.index.reset(1)
	}
}

// Add appends an entry. Keys must increase strictly.
func (t *Builder) Add(key, value []byte) error {
	t.init()
	if t.err != nil {
		return t.err
	}
	if t.entries > 0 {
		if bytes.Compare(key, t.lastKey) <= 0 {
			t.err = fmt.Errorf("table: key %q added after %q; keys must increase", key, t.lastKey)
			return t.err
		}
		if len(key)+len(value) >= 2*blockSize {
			t.flush()
		}
	}
	if t.pending {
		sep := shortestSeparator(t.lastKey, key)
		t.index.add(sep, handle(t.pendingStart, t.pendingSize))
		t.pending = false
	}
	t.lastKey = append(t.lastKey[:0], key...)
	t.entries++
	t.data.add(key, value)
	if t.data.sizeEstimate() >= blockSize {
		t.flush()
	}
	return nil
}

func (t *Builder) flush() {
	if t.data.empty() {
		return
	}
	t.pendingStart, t.pendingSize = t.writeBlock(&t.data, restartInterval)
	t.pending = true
}

func (t *Builder) writeBlock(b *block, interval int) (offset, size uint64) {
	raw := b.finish()
	offset, size = uint64(len(t.out)), uint64(len(raw))
	t.out = append(t.out, raw...)
	crc := crc32c.Extend(crc32c.Value(raw), []byte{0})
	t.out = append(t.out, 0)
	t.out = binary.LittleEndian.AppendUint32(t.out, crc32c.Mask(crc))
	b.reset(interval)
	return offset, size
}

func handle(offset, size uint64) []byte {
	return protowire.AppendVarint(protowire.AppendVarint(nil, offset), size)
}

// Finish writes the remaining blocks and the footer and returns the
// table's bytes.
func (t *Builder) Finish() ([]byte, error) {
	t.init()
	if t.err != nil {
		return nil, t.err
	}
	t.flush()
	var meta block
	meta.reset(restartInterval)
	metaOff, metaSize := t.writeBlock(&meta, restartInterval)
	if t.pending {
		t.index.add(shortSuccessor(t.lastKey), handle(t.pendingStart, t.pendingSize))
		t.pending = false
	}
	idxOff, idxSize := t.writeBlock(&t.index, 1)
	footer := append(handle(metaOff, metaSize), handle(idxOff, idxSize)...)
	footer = append(footer, make([]byte, 2*maxHandleSize-len(footer))...)
	footer = binary.LittleEndian.AppendUint32(footer, uint32(Magic&0xffffffff))
	footer = binary.LittleEndian.AppendUint32(footer, uint32(Magic>>32))
	t.out = append(t.out, footer...)
	t.err = fmt.Errorf("table: Finish called twice")
	return t.out, nil
}

// shortestSeparator returns a short key >= start and < limit, as
// table_builder.cc's FindShortestSeparator.
func shortestSeparator(start, limit []byte) []byte {
	n := min(len(start), len(limit))
	i := 0
	for i < n && start[i] == limit[i] {
		i++
	}
	out := append([]byte(nil), start...)
	if i >= n {
		return out
	}
	if c := start[i]; c < 0xff && c+1 < limit[i] {
		out[i]++
		return out[:i+1]
	}
	return out
}

// shortSuccessor returns a short key >= key, as FindShortSuccessor.
func shortSuccessor(key []byte) []byte {
	out := append([]byte(nil), key...)
	for i, c := range out {
		if c != 0xff {
			out[i] = c + 1
			return out[:i+1]
		}
	}
	return out
}

// Entry is one key/value pair of a table.
type Entry struct {
	Key, Value []byte
}

// Read checks a whole table (footer, every block's checksum and layout)
// and returns its entries in key order. Errors say what is wrong; callers
// add the file's name.
func Read(b []byte) ([]Entry, error) {
	if len(b) < FooterSize {
		return nil, fmt.Errorf("file is %d bytes, shorter than a table's %d-byte footer (truncated?)", len(b), FooterSize)
	}
	footer := b[len(b)-FooterSize:]
	magic := uint64(binary.LittleEndian.Uint32(footer[40:])) | uint64(binary.LittleEndian.Uint32(footer[44:]))<<32
	if magic != Magic {
		return nil, fmt.Errorf("not a table: bad magic number %#x at the end (truncated or not a checkpoint index?)", magic)
	}
	_, _, n := readHandle(footer)
	if n < 0 {
		return nil, fmt.Errorf("bad metaindex handle in the footer")
	}
	idxOff, idxSize, m := readHandle(footer[n:])
	if m < 0 {
		return nil, fmt.Errorf("bad index handle in the footer")
	}
	index, err := readBlock(b, idxOff, idxSize)
	if err != nil {
		return nil, fmt.Errorf("index block: %w", err)
	}
	handles, err := blockEntries(index)
	if err != nil {
		return nil, fmt.Errorf("index block: %w", err)
	}
	var out []Entry
	for i, h := range handles {
		off, size, n := readHandle(h.Value)
		if n < 0 {
			return nil, fmt.Errorf("index entry %d: bad block handle", i)
		}
		data, err := readBlock(b, off, size)
		if err != nil {
			return nil, fmt.Errorf("data block %d: %w", i, err)
		}
		es, err := blockEntries(data)
		if err != nil {
			return nil, fmt.Errorf("data block %d: %w", i, err)
		}
		for _, e := range es {
			if len(out) > 0 && bytes.Compare(e.Key, out[len(out)-1].Key) <= 0 {
				return nil, fmt.Errorf("keys out of order: %q after %q", e.Key, out[len(out)-1].Key)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func readHandle(b []byte) (offset, size uint64, n int) {
	offset, n1 := protowire.ConsumeVarint(b)
	if n1 < 0 {
		return 0, 0, -1
	}
	size, n2 := protowire.ConsumeVarint(b[n1:])
	if n2 < 0 {
		return 0, 0, -1
	}
	return offset, size, n1 + n2
}

func readBlock(b []byte, off, size uint64) ([]byte, error) {
	limit := uint64(len(b) - FooterSize)
	if off > limit || size > limit-off || blockTrailer > limit-off-size {
		return nil, fmt.Errorf("block at offset %d, size %d runs past the end of the data (truncated?)", off, size)
	}
	data := b[off : off+size]
	typ := b[off+size]
	stored := crc32c.Unmask(binary.LittleEndian.Uint32(b[off+size+1:]))
	if actual := crc32c.Value(b[off : off+size+1]); actual != stored {
		return nil, fmt.Errorf("block at offset %d: checksum mismatch (stored %#08x, computed %#08x): the file is corrupt", off, stored, actual)
	}
	switch typ {
	case 0:
		return data, nil
	case 1:
		return nil, fmt.Errorf("block at offset %d is Snappy-compressed, which this reader does not support", off)
	}
	return nil, fmt.Errorf("block at offset %d: unknown compression type %d", off, typ)
}

func blockEntries(b []byte) ([]Entry, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("block of %d bytes is too short", len(b))
	}
	nr := int(binary.LittleEndian.Uint32(b[len(b)-4:]))
	if nr < 1 || 4*(nr+1) > len(b) {
		return nil, fmt.Errorf("bad restart count %d", nr)
	}
	data := b[:len(b)-4*(nr+1)]
	var out []Entry
	var last []byte
	for len(data) > 0 {
		var v [3]uint64
		for i := range v {
			x, n := protowire.ConsumeVarint(data)
			if n < 0 {
				return nil, fmt.Errorf("bad entry header")
			}
			v[i] = x
			data = data[n:]
		}
		shared, nonShared, vlen := v[0], v[1], v[2]
		if shared > uint64(len(last)) || nonShared > uint64(len(data)) || vlen > uint64(len(data))-nonShared {
			return nil, fmt.Errorf("bad entry lengths")
		}
		key := append(append([]byte(nil), last[:shared]...), data[:nonShared]...)
		val := data[nonShared : nonShared+vlen]
		data = data[nonShared+vlen:]
		out = append(out, Entry{Key: key, Value: val})
		last = key
	}
	return out, nil
}
