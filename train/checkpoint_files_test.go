package train_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// ---- an independent reader of TF's table format (LevelDB's SSTable) ----

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func unmask(m uint32) uint32 { r := m - 0xa282ead8; return r>>17 | r<<15 }

func uvarint(t *testing.T, b []byte) (uint64, []byte) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		t.Fatalf("bad varint in % x", b[:min(len(b), 10)])
	}
	return v, b[n:]
}

// sstBlock checks a block's trailer (type 0, masked CRC-32C of the block
// and the type byte) and returns its entries.
func sstBlock(t *testing.T, file []byte, off, size uint64) [][2][]byte {
	t.Helper()
	blk := file[off : off+size]
	if file[off+size] != 0 {
		t.Fatalf("block at %d: compression type %d, want 0", off, file[off+size])
	}
	stored := unmask(binary.LittleEndian.Uint32(file[off+size+1:]))
	if got := crc32.Checksum(file[off:off+size+1], castagnoli); got != stored {
		t.Fatalf("block at %d: crc %08x, stored %08x", off, got, stored)
	}
	nr := binary.LittleEndian.Uint32(blk[len(blk)-4:])
	data := blk[:len(blk)-4-4*int(nr)]
	var out [][2][]byte
	var last []byte
	for len(data) > 0 {
		var shared, nonShared, vlen uint64
		shared, data = uvarint(t, data)
		nonShared, data = uvarint(t, data)
		vlen, data = uvarint(t, data)
		key := append(append([]byte{}, last[:shared]...), data[:nonShared]...)
		out = append(out, [2][]byte{key, data[nonShared : nonShared+vlen]})
		data = data[nonShared+vlen:]
		last = key
	}
	return out
}

// sstRead returns every entry of a table file, checking the magic number
// and every block's checksum.
func sstRead(t *testing.T, file []byte) [][2][]byte {
	t.Helper()
	footer := file[len(file)-48:]
	if binary.LittleEndian.Uint64(footer[40:]) != 0xdb4775248b80fb57 {
		t.Fatalf("bad magic % x", footer[40:])
	}
	rest := footer
	var mo, ms, io, is uint64
	mo, rest = uvarint(t, rest)
	ms, rest = uvarint(t, rest)
	io, rest = uvarint(t, rest)
	is, _ = uvarint(t, rest)
	if len(sstBlock(t, file, mo, ms)) != 0 {
		t.Errorf("metaindex block is not empty")
	}
	var out [][2][]byte
	for _, h := range sstBlock(t, file, io, is) {
		off, r := uvarint(t, h[1])
		size, _ := uvarint(t, r)
		out = append(out, sstBlock(t, file, off, size)...)
	}
	return out
}

func protocDecode(t *testing.T, msg string, b []byte) string {
	t.Helper()
	cmd := exec.Command("protoc", "--decode=tensorflow."+msg, "-I", "../internal/testdata", "tensorflow.proto")
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("protoc --decode=%s: %v: %s", msg, err, stderr.String())
	}
	return string(out)
}

func needProtoc(t *testing.T) {
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Skip("protoc is not installed (apt-get install protobuf-compiler); CI installs it")
	}
}

// TestCheckpointFilesDecodeIndependently reads a saved checkpoint with the
// reader above and protoc: every block checksum, the header, each entry's
// dtype/shape/offset/size, each tensor's masked CRC-32C, and the values.
func TestCheckpointFilesDecodeIndependently(t *testing.T) {
	needProtoc(t)
	m := newTSModel(t, false)
	s := m.session(t)
	s.MustRun(m.init, nil)
	m.steps(t, s, 0, 3)
	dir := t.TempDir()
	prefix, err := m.saver.Save(s, filepath.Join(dir, "model.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	index, err := os.ReadFile(prefix + ".index")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(prefix + ".data-00000-of-00001")
	if err != nil {
		t.Fatal(err)
	}
	entries := sstRead(t, index)
	if string(entries[0][0]) != "" {
		t.Fatalf("first key %q, want the header's \"\"", entries[0][0])
	}
	if got, want := protocDecode(t, "BundleHeaderProto", entries[0][1]), "num_shards: 1\nversion {\n  producer: 1\n}\n"; got != want {
		t.Errorf("header:\n%s\nwant\n%s", got, want)
	}
	vals := values(t, s, m.g)
	if len(entries)-1 != len(vals) {
		t.Fatalf("%d entries, %d variables", len(entries)-1, len(vals))
	}
	field := func(text, name string) int64 {
		mm := regexp.MustCompile(`(?m)^` + name + `: (\d+)$`).FindStringSubmatch(text)
		if mm == nil {
			return 0
		}
		n, _ := strconv.ParseInt(mm[1], 10, 64)
		return n
	}
	var end int64
	for _, e := range entries[1:] {
		name := string(e[0])
		text := protocDecode(t, "BundleEntryProto", e[1])
		v := vals[name]
		if v == nil {
			t.Fatalf("entry %q is no variable", name)
		}
		wantType := map[tf.DType]string{tf.Float32: "DT_FLOAT", tf.Int64: "DT_INT64"}[v.DType()]
		if !strings.Contains(text, "dtype: "+wantType+"\n") {
			t.Errorf("%s: %s, want dtype %s", name, text, wantType)
		}
		var dims []string
		for _, d := range v.Shape() {
			dims = append(dims, "  dim {\n    size: "+strconv.Itoa(d)+"\n  }\n")
		}
		if wantShape := "shape {\n" + strings.Join(dims, "") + "}\n"; !strings.Contains(text, wantShape) {
			t.Errorf("%s: %s, want %s", name, text, wantShape)
		}
		off, size := field(text, "offset"), field(text, "size")
		if off != end {
			t.Errorf("%s: offset %d, want %d (tensors packed in name order)", name, off, end)
		}
		end = off + size
		bs := data[off : off+size]
		if crc := uint32(field(text, "crc32c")); unmask(crc) != crc32.Checksum(bs, castagnoli) {
			t.Errorf("%s: crc32c %08x does not match the data", name, crc)
		}
		switch v.DType() {
		case tf.Float32:
			xs := v.Float32s()
			for i := range xs {
				if binary.LittleEndian.Uint32(bs[4*i:]) != math.Float32bits(xs[i]) {
					t.Fatalf("%s[%d] differs in the data file", name, i)
				}
			}
		case tf.Int64:
			if int64(binary.LittleEndian.Uint64(bs)) != v.Int64s()[0] {
				t.Errorf("%s differs in the data file", name)
			}
		}
	}
	if end != int64(len(data)) {
		t.Errorf("entries cover %d bytes of %d", end, len(data))
	}

	// The meta graph and the checkpoint state parse as TF's messages.
	meta, err := os.ReadFile(prefix + ".meta")
	if err != nil {
		t.Fatal(err)
	}
	text := protocDecode(t, "MetaGraphDef", meta)
	for _, want := range []string{
		"saver_def {\n  filename_tensor_name: \"save/Const:0\"\n  save_tensor_name: \"save/control_dependency:0\"\n  restore_op_name: \"save/restore_all\"\n  max_to_keep: 5\n  keep_checkpoint_every_n_hours: 10000\n  version: V2\n}",
		"name: \"save/RestoreV2\"\n    op: \"RestoreV2\"",
		"name: \"X\"\n    op: \"Placeholder\"",
		"op: \"VariableV2\"",
		"key: \"trainable_variables\"",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("meta graph lacks %q", want)
		}
	}
	cmd := exec.Command("protoc", "--encode=tensorflow.CheckpointState", "-I", "../internal/testdata", "tensorflow.proto")
	state, _ := os.ReadFile(filepath.Join(dir, "checkpoint"))
	cmd.Stdin = bytes.NewReader(state)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the checkpoint file does not parse as a CheckpointState: %v %s", err, out)
	}
	if want := "model_checkpoint_path: \"model.ckpt\"\nall_model_checkpoint_paths: \"model.ckpt\"\n"; string(state) != want && !filepath.IsAbs(dir) {
		t.Errorf("checkpoint file:\n%s\nwant\n%s", state, want)
	}
}

// TestTFWrittenCheckpoint reads checkpoints written by TensorFlow (see
// testdata/README.md) and writes the same bytes for the same variables.
func TestTFWrittenCheckpoint(t *testing.T) {
	prefix := "testdata/tf_regression_model/variables"
	vars, err := train.ListVariables(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(vars) != 2 || vars[0].Name != "b" || vars[1].Name != "w" || !vars[1].Shape.Equal(tf.Shape{1}) || vars[1].DType != tf.Float32 {
		t.Fatalf("ListVariables = %+v", vars)
	}
	w, err := train.LoadVariable(prefix, "w")
	if err != nil {
		t.Fatal(err)
	}
	// The data file's last four bytes, dc 9c 5b bf, are w: -0.85786223.
	if got := w.Float32s()[0]; math.Float32bits(got) != 0xbf5b9cdc {
		t.Errorf("w = %v (%08x)", got, math.Float32bits(got))
	}

	// The same variables saved by gorgoflow give TF's bytes.
	g := tf.NewGraph()
	restore := g.AsDefault()
	b := tf.NewVariable([]float32{0}, tf.Name("b"))
	wv := tf.NewVariable([]float32{0}, tf.Name("w"))
	saver := train.NewSaver()
	restore()
	s := session.New(session.WithGraph(g))
	defer s.Close()
	if err := saver.Restore(s, prefix); err != nil {
		t.Fatal(err)
	}
	_ = b
	_ = wv
	out := filepath.Join(t.TempDir(), "variables")
	if _, err := saver.Save(s, out, train.WriteMetaGraph(false), train.WriteState(false)); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{".index", ".data-00000-of-00001"} {
		ours, _ := os.ReadFile(out + suffix)
		theirs, _ := os.ReadFile(prefix + suffix)
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s differs from TF's:\n% x\n% x", suffix, ours, theirs)
		}
	}

	// A TF 2 checkpoint: a string tensor (listed, not loadable), int64.
	vars, err = train.ListVariables("testdata/tf2_keras_model/variables")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vars {
		names = append(names, v.Name+":"+v.DType.String())
	}
	if got, want := strings.Join(names, " "), "_CHECKPOINTABLE_OBJECT_GRAPH:invalid b/.ATTRIBUTES/VARIABLE_VALUE:float32 optimizer/decay/.ATTRIBUTES/VARIABLE_VALUE:float32 optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE:int64 optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE:float32 optimizer/momentum/.ATTRIBUTES/VARIABLE_VALUE:float32 w/.ATTRIBUTES/VARIABLE_VALUE:float32"; got != want {
		t.Errorf("ListVariables:\n got %s\nwant %s", got, want)
	}
	if _, err := train.LoadVariable("testdata/tf2_keras_model/variables", "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE"); err != nil {
		t.Error(err)
	}
	if _, err := train.LoadVariable("testdata/tf2_keras_model/variables", "_CHECKPOINTABLE_OBJECT_GRAPH"); err == nil || !strings.Contains(err.Error(), "DT_STRING") {
		t.Errorf("loading a string tensor: %v", err)
	}
}
