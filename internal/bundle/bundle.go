// Package bundle writes and reads TensorFlow's V2 checkpoint format, the
// tensor bundle of tensorflow/core/util/tensor_bundle/tensor_bundle.cc:
// for a prefix P, the data file P.data-00000-of-00001 holds every tensor's
// bytes one after another (little-endian, no padding), and the index file
// P.index is a table (package table) mapping "" to a BundleHeaderProto and
// each tensor's name to a BundleEntryProto: dtype, shape, shard, offset and
// size in the data file, and the masked CRC-32C of those bytes.
//
// Write is crash-safe for other prefixes: it writes both files under
// temporary names, syncs them, renames them into place and syncs the
// directory, so a process killed during a Write leaves every earlier
// checkpoint intact (and at worst orphaned temporaries, named
// "*.tempstate*" as TF names its own).
package bundle

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/gorgoflow/gorgoflow/internal/crc32c"
	"github.com/gorgoflow/gorgoflow/internal/pb"
	"github.com/gorgoflow/gorgoflow/internal/table"
)

// DataType is TF's DataType enum (tensorflow/core/framework/types.proto).
type DataType int32

// The data types of types.proto that gorgoflow reads or writes.
const (
	DTInvalid DataType = 0
	DTFloat   DataType = 1
	DTDouble  DataType = 2
	DTInt32   DataType = 3
	DTUint8   DataType = 4
	DTInt16   DataType = 5
	DTInt8    DataType = 6
	DTString  DataType = 7
	DTInt64   DataType = 9
	DTBool    DataType = 10
)

var dtNames = map[DataType]string{
	DTInvalid: "DT_INVALID", DTFloat: "DT_FLOAT", DTDouble: "DT_DOUBLE", DTInt32: "DT_INT32",
	DTUint8: "DT_UINT8", DTInt16: "DT_INT16", DTInt8: "DT_INT8", DTString: "DT_STRING",
	DTInt64: "DT_INT64", DTBool: "DT_BOOL",
}

// String returns the enum value's name in types.proto ("DT_FLOAT").
func (d DataType) String() string {
	if s, ok := dtNames[d]; ok {
		return s
	}
	return "DataType(" + strconv.Itoa(int(d)) + ")"
}

// Size returns the bytes per element of a fixed-size type, or 0.
func (d DataType) Size() int {
	switch d {
	case DTFloat, DTInt32:
		return 4
	case DTDouble, DTInt64:
		return 8
	case DTBool, DTUint8, DTInt8:
		return 1
	case DTInt16:
		return 2
	}
	return 0
}

// Tensor is one named tensor of a bundle. Data holds its elements in
// row-major order, little-endian.
type Tensor struct {
	Name  string
	DType DataType
	Shape []int64
	Data  []byte
}

// Entry describes one tensor of a bundle's index (BundleEntryProto).
type Entry struct {
	Name   string
	DType  DataType
	Shape  []int64
	Shard  int32
	Offset int64
	Size   int64
	CRC32C uint32 // masked, as stored
	Sliced bool   // the entry describes a tensor saved in slices
}

// IndexFile returns the index file's name for prefix (P.index).
func IndexFile(prefix string) string { return prefix + ".index" }

// DataFile returns the name of shard i of n of prefix's data.
func DataFile(prefix string, i, n int) string {
	return fmt.Sprintf("%s.data-%05d-of-%05d", prefix, i, n)
}

// ShapeProto returns a TensorShapeProto for dims.
func ShapeProto(dims []int64) *pb.Message {
	s := pb.New()
	for _, d := range dims {
		s.Msg(2, "dim", pb.New().Int(1, "size", d))
	}
	return s
}

// Header returns the BundleHeaderProto TF writes: one shard, little
// endian, version {producer: 1} (kTensorBundleVersion; min_consumer 0).
func header(shards int) []byte {
	return pb.New().Int(1, "num_shards", int64(shards)).Msg(3, "version", pb.New().Int(1, "producer", 1)).Marshal()
}

func entryProto(t Tensor, offset int64, crc uint32) []byte {
	return pb.New().
		Enum(1, "dtype", int32(t.DType), t.DType.String()).
		Msg(2, "shape", ShapeProto(t.Shape)).
		Int(4, "offset", offset).
		Int(5, "size", int64(len(t.Data))).
		Fixed32(6, "crc32c", crc).
		Marshal()
}

// Encode returns the data and index files' contents for tensors, as TF's
// BundleWriter writes them: data in the order given, index sorted by name.
func Encode(tensors []Tensor) (data, index []byte, err error) {
	type kv struct {
		name string
		val  []byte
	}
	var entries []kv
	seen := map[string]bool{}
	for _, t := range tensors {
		if t.Name == "" {
			return nil, nil, fmt.Errorf("a tensor has an empty name (the name \"\" holds the bundle's header)")
		}
		if seen[t.Name] {
			return nil, nil, fmt.Errorf("duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		crc := crc32c.Mask(crc32c.Value(t.Data))
		entries = append(entries, kv{t.Name, entryProto(t, int64(len(data)), crc)})
		data = append(data, t.Data...)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	var b table.Builder
	if err := b.Add(nil, header(1)); err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		if err := b.Add([]byte(e.name), e.val); err != nil {
			return nil, nil, err
		}
	}
	index, err = b.Finish()
	return data, index, err
}

// Write writes tensors as the checkpoint prefix (crash-safe: see the
// package doc). The directory must exist.
func Write(prefix string, tensors []Tensor) error {
	data, index, err := Encode(tensors)
	if err != nil {
		return err
	}
	dataName := DataFile(prefix, 0, 1)
	tmpData, err := WriteTemp(dataName, data)
	if err != nil {
		return err
	}
	tmpIndex, err := WriteTemp(IndexFile(prefix), index)
	if err != nil {
		os.Remove(tmpData)
		return err
	}
	if err := os.Rename(tmpData, dataName); err != nil {
		os.Remove(tmpData)
		os.Remove(tmpIndex)
		return err
	}
	if err := os.Rename(tmpIndex, IndexFile(prefix)); err != nil {
		os.Remove(tmpIndex)
		return err
	}
	return SyncDir(filepath.Dir(prefix))
}

// WriteTemp writes b to a new temporary file beside name
// (name.tempstate<random>), syncs and closes it, and returns its name.
func WriteTemp(name string, b []byte) (string, error) {
	tmp := name + ".tempstate" + strconv.FormatUint(rand.Uint64(), 10)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// WriteFileAtomic replaces name by b: a synced temporary renamed into
// place, then the directory synced.
func WriteFileAtomic(name string, b []byte) error {
	tmp, err := WriteTemp(name, b)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(filepath.Dir(name))
}

// SyncDir syncs a directory so that renames in it survive a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync directories (EINVAL); their renames
	// are still atomic, so the error is not the caller's concern.
	d.Sync()
	return nil
}

// Reader reads a bundle's index and its tensors.
type Reader struct {
	prefix  string
	shards  int
	entries []Entry
	byName  map[string]int
}

// Open reads and checks prefix's index file (every block checksum, the
// header, every entry). Errors name the file.
func Open(prefix string) (*Reader, error) {
	name := IndexFile(prefix)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	es, err := table.Read(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(es) == 0 || len(es[0].Key) != 0 {
		return nil, fmt.Errorf("%s: no header entry (the key \"\"): not a tensor bundle index", name)
	}
	r := &Reader{prefix: prefix, byName: map[string]int{}}
	if r.shards, err = parseHeader(es[0].Value); err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	for _, e := range es[1:] {
		ent, err := parseEntry(e.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %q: %w", name, e.Key, err)
		}
		ent.Name = string(e.Key)
		r.byName[ent.Name] = len(r.entries)
		r.entries = append(r.entries, ent)
	}
	return r, nil
}

func parseHeader(b []byte) (shards int, err error) {
	fs, err := pb.Parse(b)
	if err != nil {
		return 0, err
	}
	for _, f := range fs {
		switch f.Num {
		case 1:
			shards = int(int32(f.Int))
		case 2:
			if f.Int != 0 {
				return 0, fmt.Errorf("the bundle is big-endian; only little-endian bundles are supported")
			}
		case 3:
			vs, err := pb.Parse(f.Bytes)
			if err != nil {
				return 0, err
			}
			for _, v := range vs {
				if v.Num == 2 && v.Int > 1 {
					return 0, fmt.Errorf("the bundle needs a reader of version %d or newer (this one is version 1)", v.Int)
				}
			}
		}
	}
	if shards < 1 {
		return 0, fmt.Errorf("num_shards is %d", shards)
	}
	return shards, nil
}

func parseEntry(b []byte) (Entry, error) {
	var e Entry
	fs, err := pb.Parse(b)
	if err != nil {
		return e, err
	}
	for _, f := range fs {
		switch f.Num {
		case 1:
			e.DType = DataType(int32(f.Int))
		case 2:
			dims, err := pb.Parse(f.Bytes)
			if err != nil {
				return e, err
			}
			e.Shape = []int64{}
			for _, d := range dims {
				switch d.Num {
				case 2:
					ds, err := pb.Parse(d.Bytes)
					if err != nil {
						return e, err
					}
					var size int64
					for _, x := range ds {
						if x.Num == 1 {
							size = int64(x.Int)
						}
					}
					e.Shape = append(e.Shape, size)
				case 3:
					if d.Int != 0 {
						return e, fmt.Errorf("shape of unknown rank")
					}
				}
			}
		case 3:
			e.Shard = int32(f.Int)
		case 4:
			e.Offset = int64(f.Int)
		case 5:
			e.Size = int64(f.Int)
		case 6:
			e.CRC32C = uint32(f.Int)
		case 7:
			e.Sliced = true
		}
	}
	return e, nil
}

// Prefix returns the bundle's prefix.
func (r *Reader) Prefix() string { return r.prefix }

// Entries returns the index's entries sorted by name.
func (r *Reader) Entries() []Entry { return r.entries }

// Entry returns the entry of a tensor and whether it exists.
func (r *Reader) Entry(name string) (Entry, bool) {
	i, ok := r.byName[name]
	if !ok {
		return Entry{}, false
	}
	return r.entries[i], true
}

// ReadData returns the bytes of entry e, checked against its size and
// checksum. Errors name the data file and the tensor.
func (r *Reader) ReadData(e Entry) ([]byte, error) {
	if e.Sliced {
		return nil, fmt.Errorf("%s: tensor %q was saved in slices (partitioned variables), which this reader does not support", IndexFile(r.prefix), e.Name)
	}
	if e.Shard < 0 || int(e.Shard) >= r.shards {
		return nil, fmt.Errorf("%s: tensor %q is in shard %d of %d", IndexFile(r.prefix), e.Name, e.Shard, r.shards)
	}
	name := DataFile(r.prefix, int(e.Shard), r.shards)
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %w", e.Name, err)
	}
	defer f.Close()
	if e.Offset < 0 || e.Size < 0 {
		return nil, fmt.Errorf("%s: tensor %q: bad offset %d or size %d in the index", name, e.Name, e.Offset, e.Size)
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if e.Offset > st.Size() || e.Size > st.Size()-e.Offset {
		return nil, fmt.Errorf("%s: tensor %q: bytes %d..%d lie past the end of the file (%d bytes): the file is truncated", name, e.Name, e.Offset, e.Offset+e.Size, st.Size())
	}
	b := make([]byte, e.Size)
	if _, err := f.ReadAt(b, e.Offset); err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", name, e.Name, err)
	}
	if e.DType != DTString {
		// A string tensor's checksum covers its lengths as fixed64s, not
		// the bytes on disk; gorgoflow does not load string tensors.
		if got := crc32c.Mask(crc32c.Value(b)); got != e.CRC32C {
			return nil, fmt.Errorf("%s: tensor %q: checksum mismatch (index says %#08x, data gives %#08x): the data file is corrupt or does not belong to this index", name, e.Name, crc32c.Unmask(e.CRC32C), crc32c.Unmask(got))
		}
	}
	return b, nil
}

// Elements returns the number of elements of a shape.
func Elements(shape []int64) int64 {
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	return n
}
