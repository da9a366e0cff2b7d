package summary_test

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

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/summary"
	"github.com/gorgoflow/gorgoflow/tf"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func mask(c uint32) uint32 { return (c>>15 | c<<17) + 0xa282ead8 }

// records reads a TFRecord file independently of internal/tfrecord,
// checking both checksums of every record.
func records(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		n := binary.LittleEndian.Uint64(b)
		if mask(crc32.Checksum(b[:8], castagnoli)) != binary.LittleEndian.Uint32(b[8:]) {
			t.Fatalf("record %d: length checksum mismatch", len(out))
		}
		data := b[12 : 12+n]
		if mask(crc32.Checksum(data, castagnoli)) != binary.LittleEndian.Uint32(b[12+n:]) {
			t.Fatalf("record %d: data checksum mismatch", len(out))
		}
		out = append(out, data)
		b = b[12+n+4:]
	}
	return out
}

func decode(t *testing.T, msg string, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Skip("protoc is not installed (apt-get install protobuf-compiler); CI installs it")
	}
	cmd := exec.Command("protoc", "--decode=tensorflow."+msg, "-I", "../internal/testdata", "tensorflow.proto")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("protoc: %v: %s", err, out)
	}
	return string(out)
}

func TestFileWriterEvents(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := placeholder.New(tf.Float32, tf.Shape{tf.None}, placeholder.Name("x"))
	w := tf.NewVariable([]float32{0.5, -2}, tf.Name("w"))
	mse := tf.ReduceMean(tf.Square(tf.Sub(x, w.Value())), tf.Name("mse"))
	mseSummary := summary.Scalar("MSE", mse)
	histo := summary.Histogram("w_hist", w.Value())
	merged := summary.MergeAll()
	init := tf.GlobalVariablesInitializer()
	restore()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	logdir := filepath.Join(t.TempDir(), "logs", "run-1")
	fw, err := summary.NewFileWriter(logdir, g)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(session.WithGraph(g))
	defer s.Close()
	s.MustRun(init, nil)
	var wantMSE []float32
	for step := 0; step < 3; step++ {
		feed := session.Feed{x: []float32{float32(step), 1}}
		v, err := s.Eval(mseSummary, feed)
		if err != nil {
			t.Fatal(err)
		}
		if err := fw.AddSummary(v, step*10); err != nil {
			t.Fatal(err)
		}
		d0, d1 := float64(step)-0.5, 1.0+2
		wantMSE = append(wantMSE, float32((d0*d0+d1*d1)/2))
	}
	m, err := s.Eval(merged, session.Feed{x: []float32{0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.AddSummary(m, 30); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`/events\.out\.tfevents\.\d{10}\.[^/]+$`).MatchString(fw.Path()) {
		t.Errorf("event file name %s", fw.Path())
	}
	b, err := os.ReadFile(fw.Path())
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, b)
	if len(recs) != 6 {
		t.Fatalf("%d events, want 6 (version, graph, 3 scalars, merged)", len(recs))
	}
	if e := decode(t, "Event", recs[0]); !strings.Contains(e, "file_version: \"brain.Event:2\"") || !strings.Contains(e, "wall_time: ") {
		t.Errorf("first event:\n%s", e)
	}
	// The graph: decode the graph_def bytes as a GraphDef.
	fields := regexp.MustCompile(`graph_def: "`).FindStringIndex(decode(t, "Event", recs[1]))
	if fields == nil {
		t.Fatal("second event holds no graph")
	}
	gd := recs[1][len(recs[1])-graphLen(t, recs[1]):]
	gtext := decode(t, "GraphDef", gd)
	for _, want := range []string{`name: "x"` + "\n  op: \"Placeholder\"", `name: "w"` + "\n  op: \"VariableV2\"", `name: "MSE"` + "\n  op: \"ScalarSummary\"", "producer: 134"} {
		if !strings.Contains(gtext, want) {
			t.Errorf("graph lacks %q", want)
		}
	}
	for i := 0; i < 3; i++ {
		e := decode(t, "Event", recs[2+i])
		want := "step: " + strconv.Itoa(10*i) + "\nsummary {\n  value {\n    tag: \"MSE\"\n    simple_value: " + protoFloat(wantMSE[i]) + "\n  }\n}\n"
		if i == 0 {
			want = strings.Replace(want, "step: 0\n", "", 1)
		}
		if !strings.HasSuffix(e, want) {
			t.Errorf("event %d:\n%s\nwant suffix\n%s", i, e, want)
		}
	}
	e := decode(t, "Event", recs[5])
	for _, want := range []string{"step: 30", `tag: "MSE"`, "simple_value: 2.125", `tag: "w_hist"`, "histo {", "min: -2", "max: 0.5", "num: 2", "sum: -1.5", "sum_squares: 4.25"} {
		if !strings.Contains(e, want) {
			t.Errorf("merged event lacks %q:\n%s", want, e)
		}
	}
	_ = histo
}

// graphLen returns the length of the graph_def field (Event field 4), the
// event's last, walking the event's fields: the wall_time's 8 bytes may
// hold any byte, 0x22 included.
func graphLen(t *testing.T, rec []byte) int {
	for b := rec; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			break
		}
		b = b[n:]
		if num == 4 && typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 || m != len(b) {
				break
			}
			return len(v)
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			break
		}
		b = b[m:]
	}
	t.Fatalf("cannot find the graph_def field")
	return 0
}

// protoFloat formats a float32 as protoc's text output does (shortest
// round-trip digits).
func protoFloat(f float32) string { return strconv.FormatFloat(float64(f), 'g', -1, 32) }

// TestHistogramBuckets checks the bucketing against a direct reading of
// TF's histogram.cc: limits ±1e-12·1.1^k (up to 1e20) and ±DBL_MAX around
// 0; a value goes to the first bucket whose limit exceeds it; runs of
// empty buckets collapse into one ending at the run's last limit.
func TestHistogramBuckets(t *testing.T) {
	var pos []float64
	for v := 1e-12; v < 1e20; v *= 1.1 {
		pos = append(pos, v)
	}
	pos = append(pos, math.MaxFloat64)
	var limits []float64
	for i := len(pos) - 1; i >= 0; i-- {
		limits = append(limits, -pos[i])
	}
	limits = append(limits, 0)
	limits = append(limits, pos...)
	got := summary.DefaultBucketLimits()
	if len(got) != len(limits) {
		t.Fatalf("%d limits, want %d", len(got), len(limits))
	}
	for i := range got {
		if got[i] != limits[i] {
			t.Fatalf("limit %d: %v, want %v", i, got[i], limits[i])
		}
	}

	values := []float32{0, 1, 1, -3.5, 1e-13, 100}
	g := tf.NewGraph()
	restore := g.AsDefault()
	h := summary.Histogram("h", tf.Constant(values, tf.Float32))
	restore()
	s := session.New(session.WithGraph(g))
	defer s.Close()
	v, err := s.Eval(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := decode(t, "Summary", []byte(v.Data().(string)))
	counts := make([]float64, len(limits))
	for _, x := range values {
		for i, l := range limits {
			if l > float64(x) {
				counts[i]++
				break
			}
		}
	}
	var want []string
	for i := 0; i < len(counts); {
		end, c := limits[i], counts[i]
		i++
		if c == 0 {
			for i < len(counts) && counts[i] == 0 {
				end, c = limits[i], counts[i]
				i++
			}
		}
		want = append(want, strconv.FormatFloat(end, 'g', -1, 64)+"/"+strconv.FormatFloat(c, 'g', -1, 64))
	}
	var gotPairs []string
	lim := regexp.MustCompile(`bucket_limit: (\S+)`).FindAllStringSubmatch(text, -1)
	cnt := regexp.MustCompile(`\n\s+bucket: (\S+)`).FindAllStringSubmatch(text, -1)
	for i := range lim {
		l, _ := strconv.ParseFloat(lim[i][1], 64)
		gotPairs = append(gotPairs, strconv.FormatFloat(l, 'g', -1, 64)+"/"+cnt[i][1])
	}
	if strings.Join(gotPairs, " ") != strings.Join(want, " ") {
		t.Errorf("buckets\n got %v\nwant %v", gotPairs, want)
	}

	// NaN is an error naming the summary, as TF's.
	g2 := tf.NewGraph()
	restore = g2.AsDefault()
	bad := summary.Histogram("weights", tf.Constant([]float32{1, float32(math.NaN())}, tf.Float32))
	restore()
	s2 := session.New(session.WithGraph(g2))
	defer s2.Close()
	if _, err := s2.Eval(bad, nil); err == nil || !strings.Contains(err.Error(), "Nan in summary histogram for: weights") {
		t.Errorf("NaN histogram: %v", err)
	}
}

// TestFileWriterQueue: events reach the file every 10 events, as TF's
// max_queue=10, without Flush; errors after Close.
func TestFileWriterQueue(t *testing.T) {
	fw, err := summary.NewFileWriter(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		b, _ := os.ReadFile(fw.Path())
		return len(records(t, b))
	}
	if n := count(); n != 1 {
		t.Fatalf("%d events after NewFileWriter, want 1 (the version)", n)
	}
	for i := 0; i < 9; i++ {
		if err := fw.AddScalar("x", float64(i), i); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 1 {
		t.Errorf("%d events on disk after 9 pending, want 1", n)
	}
	fw.AddScalar("x", 9, 9)
	if n := count(); n != 11 {
		t.Errorf("%d events on disk after 10 pending, want 11", n)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fw.AddScalar("x", 1, 1); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("AddScalar after Close: %v", err)
	}
	if err := fw.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestSummaryErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(file, nil, 0o644)
	if _, err := summary.NewFileWriter(file, nil); err == nil || !strings.Contains(err.Error(), "afile") {
		t.Errorf("NewFileWriter on a file: %v", err)
	}
	g := tf.NewGraph()
	restore := g.AsDefault()
	c := tf.Constant(float32(1), tf.Float32)
	a := summary.Scalar("loss", c)
	closeScope := tf.NameScope("loss")
	b := summary.Scalar("x", c)
	closeScope()
	dup := summary.Merge([]*tf.Tensor{a, a})
	vec := summary.Scalar("vec", tf.Constant([]float32{1, 2}, tf.Float32))
	restore()
	if b.Op().Name() != "loss_1/x" {
		t.Errorf("scoped summary named %q", b.Op().Name())
	}
	if vec.Err() == nil || !strings.Contains(vec.Err().Error(), "tags and values not the same shape") {
		t.Errorf("scalar summary of a vector: %v", vec.Err())
	}
	s := session.New(session.WithGraph(g))
	defer s.Close()
	if _, err := s.Eval(dup, nil); err == nil || !strings.Contains(err.Error(), "Duplicate tag loss found in summary inputs") {
		t.Errorf("duplicate tags: %v", err)
	}
	v, err := s.Eval(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if text := decode(t, "Summary", []byte(v.Data().(string))); !strings.Contains(text, `tag: "loss_1/x"`) {
		t.Errorf("tag in a name scope: %s", text)
	}
	fw, err := summary.NewFileWriter(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fw.Close()
	if err := fw.AddSummary(tf.NewArray(tfimpl.NewDense(tf.Spec{DType: tf.Float32, Shape: tf.Shape{}})), 0); err == nil || !strings.Contains(err.Error(), "want the value of a summary tensor") {
		t.Errorf("AddSummary of a float: %v", err)
	}
	var nilWriter *summary.FileWriter
	if err := nilWriter.AddScalar("x", 1, 1); err == nil {
		t.Error("AddScalar on a nil writer succeeded")
	}
}
